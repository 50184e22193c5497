'use strict';
// Client-managed (JWT virtual proxy) tokens from JavaScript: the signer uses the proxy's claim
// names, refuses what the proxy would refuse, and explainClientManagedToken names each refusal
// with its code. Tokens are checked by jsonwebtoken (the oracle) and made by it for explain.

const test = require('node:test');
const assert = require('node:assert/strict');
const { createSecretKey } = require('node:crypto');
const { inspect } = require('node:util');

const qlik = require('qlik-jwt');
const oracle = require('jsonwebtoken');
const { keyText } = require('./helpers');

const PRIVATE_KEY = keyText('rsa2048-private-pkcs8.pem');
const CERTIFICATE = keyText('rsa2048-cert.pem');
const PROXY = {
  userIdAttribute: 'UserID',
  userDirectoryAttribute: 'UserDir',
  audience: 'qlik-sense',
  attributes: [{ senseAttribute: 'group', jwtAttribute: 'groups', isMandatory: true }],
};

const codes = (problems) => problems.map((problem) => problem.code);

test('a token with the proxy names verifies and explains clean', () => {
  const signer = qlik.createClientManagedSigner({ privateKey: PRIVATE_KEY, keyId: 'k1', ...PROXY });
  const token = signer.sign({ userId: 'jdoe', userDirectory: 'CORP', name: 'Jane', groups: ['Sales'] });
  const claims = oracle.verify(token, CERTIFICATE, { algorithms: ['RS256'], audience: 'qlik-sense' });
  assert.deepEqual([claims.UserID, claims.UserDir, claims.groups], ['jdoe', 'CORP', ['Sales']]);
  assert.equal(claims.exp - claims.nbf, 330);
  assert.equal(oracle.decode(token, { complete: true }).header.kid, 'k1');
  assert.deepEqual(qlik.explainClientManagedToken(token, { ...PROXY, certificate: CERTIFICATE }), []);
  assert.ok(!inspect(signer).includes('PRIVATE'));
});

test('what the proxy refuses is refused when signing', () => {
  for (const privateKey of [keyText('ec256-private-pkcs8.pem'), createSecretKey(Buffer.from('a shared secret'))]) {
    assert.throws(() => qlik.createClientManagedSigner({ privateKey, ...PROXY }), /RS256, RS384 or RS512/);
  }
  assert.throws(
    () => qlik.createClientManagedSigner({ privateKey: PRIVATE_KEY, userIdAttribute: 'sub', userDirectoryAttribute: 'dir' }),
    /registered JWT claim/,
  );
  const signer = qlik.createClientManagedSigner({ privateKey: PRIVATE_KEY, ...PROXY });
  assert.throws(() => signer.sign({ userId: 'jdoe', userDirectory: 'CORP' }), /mandatory/);
  assert.throws(() => signer.sign({ userId: 'jdoe', userDirectory: 'CORP', groups: [], exp: 1 }), /registered JWT claim/);
  assert.throws(() => signer.sign({ userId: 1, userDirectory: 'CORP' }), TypeError);
});

test('explainClientManagedToken names each refusal', () => {
  const now = Math.floor(Date.now() / 1000);
  const good = { UserID: 'jdoe', UserDir: 'CORP', groups: ['Sales'], aud: 'qlik-sense', nbf: now - 30, exp: now + 300 };
  const explain = (changes, algorithm = 'RS256', key = PRIVATE_KEY) => {
    const claims = { ...good, ...changes };
    for (const [name, value] of Object.entries(claims)) if (value === undefined) delete claims[name];
    const token = oracle.sign(claims, key, { algorithm });
    return codes(qlik.explainClientManagedToken(token, { ...PROXY, certificate: CERTIFICATE }));
  };
  assert.deepEqual(explain({}), []);
  assert.deepEqual(explain({ UserDir: undefined }), ['QSE_ATTRIBUTE_MISSING']);
  assert.deepEqual(explain({ UserID: undefined, userid: 'jdoe' }), ['QSE_ATTRIBUTE_CASE']);
  assert.deepEqual(explain({ aud: 'other' }), ['QSE_AUDIENCE_MISMATCH']);
  assert.deepEqual(explain({ exp: now - 1 }), ['QSE_EXPIRED']);
  assert.deepEqual(explain({ nbf: now + 120 }), ['QSE_NOT_YET_VALID']);
  assert.deepEqual(explain({}, 'PS256'), ['QSE_ALG_NOT_ALLOWED']);
  assert.deepEqual(explain({}, 'HS256', 'a shared secret'), ['QSE_ALG_NOT_ALLOWED']);
  const other = qlik.generateKeys({ keyType: 'rsa2048' }).privateKey;
  assert.deepEqual(explain({}, 'RS256', other), ['QSE_SIGNATURE_INVALID']);
  assert.throws(() => qlik.explainClientManagedToken(42, PROXY), TypeError);
});
