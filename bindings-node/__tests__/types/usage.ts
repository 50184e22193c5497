// Type-checked by `npm test` (tsc --noEmit): code written against jsonwebtoken's types, and the
// qlik-jwt additions, compile against index.d.ts; the @ts-expect-error lines prove that wrong
// uses do not.
import jwt = require('qlik-jwt');
import { createPrivateKey, createSecretKey } from 'node:crypto';

const secret = 'secret';
const token: string = jwt.sign({ sub: 'u' }, secret, { expiresIn: '1h', audience: ['a'], header: { alg: 'HS256', kid: 'k' } });
jwt.sign('text', Buffer.from(secret));
jwt.sign({ a: 1 }, null, { algorithm: 'none' });
jwt.sign({ a: 1 }, createSecretKey(Buffer.from(secret)), { expiresIn: 60 }, (error: Error | null, encoded?: string) => {
  void error;
  void encoded;
});
jwt.sign({ a: 1 }, { key: '-----BEGIN ENCRYPTED PRIVATE KEY-----', passphrase: 'p' }, (error: Error | null) => void error);
jwt.sign({ a: 1 }, createPrivateKey('-----BEGIN PRIVATE KEY-----'), { algorithm: 'RS256', notBefore: '10 mins' });

const payload = jwt.verify(token, secret, { audience: /a/, issuer: ['x', 'y'], maxAge: '2d' });
if (typeof payload !== 'string') {
  const subject: string | undefined = payload.sub;
  void subject;
}
const complete: jwt.Jwt = jwt.verify(token, secret, { complete: true });
const kid: string | undefined = complete.header.kid;
void kid;
jwt.verify(token, (header: jwt.JwtHeader, callback: jwt.SigningKeyCallback) => callback(null, secret), (error, decoded) => {
  if (error instanceof jwt.TokenExpiredError) {
    const expiredAt: Date = error.expiredAt;
    void expiredAt;
  }
  void decoded;
});
const decoded = jwt.decode(token, { complete: true });
if (decoded !== null) void decoded.signature;

async function promises(): Promise<void> {
  const signed: string = await jwt.signAsync({ a: 1 }, secret, { expiresIn: 10 });
  const verified: jwt.Jwt = await jwt.verifyAsync(signed, secret, { complete: true });
  void verified;
}
void promises;

const signer: jwt.QlikSigner = jwt.createQlikSigner({ privateKey: '-----BEGIN PRIVATE KEY-----', keyId: 'k', issuer: 'i' });
const qlikToken: string = signer.sign({ sub: 's', name: 'n', email: '', emailVerified: true, groups: ['g'] });
const problems: jwt.QlikProblem[] = jwt.explainQlikToken(qlikToken, { issuer: 'i', keyId: 'k', certificate: '-----BEGIN CERTIFICATE-----' });
const tolerated: jwt.QlikProblem[] = jwt.explainQlikToken(qlikToken, { clockToleranceSec: 30 });
void tolerated;
// @ts-expect-error the setting has one name, Qlik's clockToleranceSec
jwt.explainQlikToken(qlikToken, { clockToleranceSeconds: 30 });
const severity: 'error' | 'warning' | undefined = problems[0]?.severity;
void severity;

const error = new jwt.NotBeforeError('jwt not active', new Date());
const isBase: jwt.JsonWebTokenError = error;
void isBase;

// @ts-expect-error expiresIn is seconds or an ms time span
jwt.sign({ a: 1 }, secret, { expiresIn: '1 fortnight' });
// @ts-expect-error not an algorithm
jwt.sign({ a: 1 }, secret, { algorithm: 'HS999' });
// @ts-expect-error Qlik refuses HMAC
jwt.createQlikSigner({ privateKey: secret, keyId: 'k', issuer: 'i', algorithm: 'HS256' });
// @ts-expect-error emailVerified is required
signer.sign({ sub: 's', name: 'n', email: '' });

// Client-managed (JWT virtual proxy) tokens.
const cmSigner: jwt.ClientManagedSigner = jwt.createClientManagedSigner({
  privateKey: '-----BEGIN PRIVATE KEY-----',
  userIdAttribute: 'userId',
  userDirectoryAttribute: 'userDirectory',
  attributes: [{ senseAttribute: 'group', jwtAttribute: 'groups', isMandatory: true }],
});
const cmToken: string = cmSigner.sign({ userId: 'u', userDirectory: 'D', groups: ['g'] });
const cmProblems: jwt.QlikProblem[] = jwt.explainClientManagedToken(cmToken, {
  userIdAttribute: 'userId',
  userDirectoryAttribute: 'userDirectory',
  certificate: '-----BEGIN CERTIFICATE-----',
});
void cmProblems;
