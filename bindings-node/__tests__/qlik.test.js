'use strict';
// The Qlik Cloud API: createQlikSigner makes tokens that the tutorial's certificate verifies
// and that explainQlikToken finds nothing wrong with; explainQlikToken names what Qlik would
// refuse; sign() with Qlik's audience refuses what Qlik refuses; keys never show in inspect.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const util = require('node:util');

const { qlik, oracle, key, keyText } = require('./helpers');

const AUDIENCE = 'qlik.api/login/jwt-session';
const PROVIDER = { issuer: 'https://my-custom-jwt', keyId: 'my-custom-jwt' };
const PRIVATE_KEY = keyText('rsa4096-privatekey.pem');
const CERTIFICATE = keyText('rsa4096-publickey.cer');
const USER = {
  sub: '0hEhiPyhMBdtOCv2UZKoLo4G24p-7R6eeGdZUQHF0-c',
  name: 'Hardcore Harry',
  email: '',
  emailVerified: true,
  groups: ['Administrators', 'Sales', 'Marketing'],
};

function signer(extra = {}) {
  return qlik.createQlikSigner({ privateKey: PRIVATE_KEY, ...PROVIDER, ...extra });
}

function errorsOf(problems) {
  return problems.filter((problem) => problem.severity === 'error');
}

test('createQlikSigner: tokens verify with the certificate and carry what Qlik requires', () => {
  const token = signer().sign(USER);
  const claims = oracle.verify(token, CERTIFICATE, { audience: AUDIENCE, issuer: PROVIDER.issuer, algorithms: ['RS256'] });
  const { header } = oracle.decode(token, { complete: true });
  assert.deepEqual(header, { alg: 'RS256', typ: 'JWT', kid: PROVIDER.keyId });
  assert.equal(claims.sub, USER.sub);
  assert.equal(claims.subType, 'user');
  assert.equal(claims.email, '');
  assert.equal(claims.email_verified, true);
  assert.deepEqual(claims.groups, USER.groups);
  assert.match(claims.jti, /^[A-Za-z0-9_-]{43}$/);
  assert.ok(claims.nbf <= claims.iat && claims.exp > claims.iat);
  assert.ok(claims.exp - claims.nbf <= 3600);
  assert.notEqual(signer().sign(USER), token, 'every token has a fresh jti');
  assert.deepEqual(qlik.explainQlikToken(token, { ...PROVIDER, certificate: CERTIFICATE }), []);
});

test('createQlikSigner: emailVerified has no default and is signed as given', () => {
  // The claim vouches for the address to Qlik: the app must say it, as in Python.
  const { emailVerified, ...unsaid } = USER;
  assert.equal(emailVerified, true);
  assert.throws(() => signer().sign(unsaid), /emailVerified/);
  assert.equal(qlik.decode(signer().sign({ ...USER, emailVerified: false })).email_verified, false);
});

test('createQlikSigner: signAsync, key forms, and the core refusing bad settings', async () => {
  const fromAsync = await signer().signAsync(USER);
  assert.deepEqual(errorsOf(qlik.explainQlikToken(fromAsync, { ...PROVIDER, certificate: Buffer.from(CERTIFICATE) })), []);
  for (const privateKey of [
    key('rsa4096-privatekey.pem'),
    crypto.createPrivateKey(PRIVATE_KEY),
    { key: keyText('rsa2048-private-pkcs8-encrypted.pem'), passphrase: 'qlik-jwt-test' },
    { key: JSON.parse(keyText('rsa2048-private.jwk.json')), format: 'jwk' },
  ]) {
    const token = qlik.createQlikSigner({ privateKey, ...PROVIDER }).sign(USER);
    assert.equal(qlik.decode(token).sub, USER.sub);
  }
  assert.throws(() => signer({ algorithm: 'HS256' }), (error) => error instanceof Error && error.message.length > 0);
  assert.throws(() => signer({ lifetimeSeconds: 7200 }), /3600|60 minutes|hour/);
  assert.throws(() => qlik.createQlikSigner({ privateKey: CERTIFICATE, ...PROVIDER }), Error);
  await assert.rejects(signer().signAsync({ ...USER, groups: ['x'.repeat(300)] }), /256/);
});

test('explainQlikToken names what Qlik would refuse', () => {
  const payload = { sub: 'u', name: 'n', email: 'e', email_verified: 'true', group: ['a'] };
  const token = oracle.sign(payload, PRIVATE_KEY, {
    algorithm: 'RS256', keyid: 'other-kid', issuer: PROVIDER.issuer, expiresIn: '6h', audience: 'qlik.api/jwt-login-session',
  });
  const problems = qlik.explainQlikToken(token, { ...PROVIDER, certificate: CERTIFICATE });
  const codes = problems.map((problem) => problem.code);
  for (const expected of ['QLIK_AUD_TYPO', 'QLIK_KID_MISMATCH', 'QLIK_EMAIL_VERIFIED_STRING', 'QLIK_GROUP_CLAIM', 'QLIK_CLAIM_MISSING']) {
    assert.ok(codes.includes(expected), `${expected} in ${codes.join(', ')}`);
  }
  for (const problem of problems) {
    assert.deepEqual(Object.keys(problem).sort(), ['code', 'message', 'severity']);
    assert.ok(['error', 'warning'].includes(problem.severity));
    assert.ok(problem.message.length > 10);
  }
  const otherCertificate = keyText('rsa2048-cert.pem');
  const valid = signer().sign(USER);
  assert.ok(qlik.explainQlikToken(valid, { ...PROVIDER, certificate: otherCertificate }).some((p) => p.code === 'QLIK_SIGNATURE_MISMATCH'));
  assert.equal(qlik.explainQlikToken('garbage')[0].code, 'QLIK_MALFORMED_TOKEN');
});

test("explainQlikToken takes the provider's clockToleranceSec, Qlik's own name", () => {
  // nbf 120 s ahead: refused with no tolerance, accepted (with a warning) within a 600 s one.
  const token = oracle.sign({ ...tutorialLike(), nbf: Math.floor(Date.now() / 1000) + 120 }, PRIVATE_KEY, {
    algorithm: 'RS256', keyid: PROVIDER.keyId, issuer: PROVIDER.issuer, expiresIn: '10m', audience: AUDIENCE,
  });
  const codesWith = (provider) => qlik.explainQlikToken(token, provider).map((problem) => problem.code);
  assert.ok(codesWith(PROVIDER).includes('QLIK_NOT_YET_VALID'), codesWith(PROVIDER).join(', '));
  const tolerant = codesWith({ ...PROVIDER, clockToleranceSec: 600 });
  assert.ok(!tolerant.includes('QLIK_NOT_YET_VALID') && tolerant.includes('QLIK_NBF_IN_FUTURE'), tolerant.join(', '));
});

function tutorialLike() {
  return {
    jti: crypto.randomBytes(32).toString('base64url'), sub: USER.sub, subType: 'user', name: USER.name, email: '', email_verified: true,
  };
}

test("sign() with Qlik's audience refuses what Qlik refuses, and accepts the tutorial's example", () => {
  const options = {
    keyid: 'my-custom-jwt', algorithm: 'RS256', issuer: 'https://my-custom-jwt', expiresIn: '5m', notBefore: '0s', audience: AUDIENCE,
  };
  const tutorialPayload = {
    jti: crypto.randomBytes(32).toString('base64url'), sub: USER.sub, subType: 'user', name: 'Hardcore Harry', email: '', email_verified: true, groups: USER.groups,
  };
  assert.equal(qlik.decode(qlik.sign(tutorialPayload, PRIVATE_KEY, options)).name, 'Hardcore Harry');
  assert.throws(() => qlik.sign({ ...tutorialPayload, groups: [1, 2] }, PRIVATE_KEY, options), (error) => {
    assert.equal(error.code, 'ERR_QLIK_RULE');
    assert.equal(error.name, 'Error');
    return true;
  });
  assert.throws(() => qlik.sign(tutorialPayload, PRIVATE_KEY, { ...options, expiresIn: '2h' }), { code: 'ERR_QLIK_RULE' });
});

test('keys never show in util.inspect', () => {
  const shown = util.inspect(signer(), { depth: 10, showHidden: true });
  assert.match(shown, /redacted/);
  assert.match(shown, /my-custom-jwt/);
  assert.doesNotMatch(shown, /PRIVATE KEY|MII/);
  const body = PRIVATE_KEY.split('\n')[5];
  assert.ok(!shown.includes(body));
});
