'use strict';
// Qlik Cloud OAuth client assertions from JavaScript: keys and JWK from generateOauthKeys, the
// signer's assertions verified by jose (an independent library, the one Qlik's tutorial uses)
// against that JWK, the shared vector replayed byte for byte, the refusals with their codes, and
// explainClientAssertion.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { createPrivateKey, createPublicKey, createSecretKey } = require('node:crypto');
const { inspect } = require('node:util');

const native = require('../lib/native');
const { ROOT, qlik, keyText } = require('./helpers');

const TENANT = 'https://acme.eu.qlikcloud.com';
const AUDIENCE = 'https://acme.eu.qlikcloud.com/oauth/token';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const codes = (problems) => problems.map((problem) => problem.code);
const jose = import('jose');

/** Verifies `assertion` with jose against `jwk` as Qlik would, and returns its header and claims. */
async function verifiedByJose(assertion, jwk, clientId, audience = AUDIENCE) {
  const { jwtVerify, importJWK } = await jose;
  const key = await importJWK(jwk, jwk.alg);
  const { payload, protectedHeader } = await jwtVerify(assertion, key, {
    algorithms: [jwk.alg],
    issuer: clientId,
    subject: clientId,
    audience,
    requiredClaims: ['jti', 'iat', 'exp'],
  });
  return { header: protectedHeader, payload };
}

test('an EC P-384 key from generateOauthKeys signs ES384 assertions jose verifies with its JWK', async () => {
  const keys = qlik.generateOauthKeys({ keyId: 'ec-key-1', keyType: 'ec' });
  assert.deepEqual(Object.keys(keys.publicJwk), ['kty', 'crv', 'x', 'y', 'kid', 'alg', 'use']);
  assert.deepEqual(
    [keys.keyType, keys.algorithm, keys.publicJwk.crv, keys.publicJwk.kid, keys.publicJwk.use],
    ['ec', 'ES384', 'P-384', 'ec-key-1', 'sig'],
  );
  const signer = qlik.createClientAssertionSigner({
    privateKey: keys.privateKey,
    keyId: 'ec-key-1',
    clientId: 'client-ec',
    tenantUrl: `${TENANT}/`,
  });
  assert.equal(signer.algorithm, 'ES384');
  assert.equal(signer.audience, AUDIENCE);
  const { header, payload } = await verifiedByJose(signer.sign(), keys.publicJwk, 'client-ec');
  assert.deepEqual(header, { alg: 'ES384', kid: 'ec-key-1' });
  assert.deepEqual(Object.keys(payload), ['iss', 'sub', 'aud', 'jti', 'iat', 'exp']);
  assert.match(payload.jti, UUID);
  assert.equal(payload.exp - payload.iat, 240);
  const other = await verifiedByJose(await signer.signAsync(), keys.publicJwk, 'client-ec');
  assert.notEqual(other.payload.jti, payload.jti, 'every assertion has a new jti');
});

test('an RSA 4096 key from generateOauthKeysAsync signs RS256, and RS512 on request', async () => {
  const keys = await qlik.generateOauthKeysAsync({ keyId: 'rsa-key-1' });
  assert.deepEqual([keys.keyType, keys.algorithm, keys.publicJwk.kty], ['rsa', 'RS256', 'RSA']);
  assert.equal(Buffer.from(keys.publicJwk.n, 'base64url').length, 512);
  assert.equal(keys.publicJwk.d, undefined);
  const privateKey = createPrivateKey(keys.privateKey);
  const signer = qlik.createClientAssertionSigner({
    privateKey,
    keyId: 'rsa-key-1',
    clientId: 'client-rsa',
    tenantUrl: TENANT,
    lifetimeSeconds: 300,
  });
  const { payload } = await verifiedByJose(signer.sign(), keys.publicJwk, 'client-rsa');
  assert.equal(payload.exp - payload.iat, 300);
  const rs512 = qlik.createClientAssertionSigner({
    privateKey,
    keyId: 'rsa-key-1',
    clientId: 'client-rsa',
    tenantUrl: TENANT,
    algorithm: 'RS512',
  });
  await verifiedByJose(rs512.sign(), { ...keys.publicJwk, alg: 'RS512' }, 'client-rsa');
});

test('the shared vectors come out as jose made them', async () => {
  const { compactVerify, importJWK, decodeProtectedHeader, decodeJwt } = await jose;
  const vectors = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests', 'vectors', 'oauth-assertion.json'), 'utf8'));
  assert.equal(vectors.length, 3, 'the fixture lost its cases');
  for (const vector of vectors) {
    const settings = {
      keyId: vector.key_id,
      clientId: vector.client_id,
      tenantUrl: vector.tenant_url,
      ...(vector.algorithm ? { algorithm: vector.algorithm } : {}),
      ...(vector.lifetime === null ? {} : { lifetimeSeconds: vector.lifetime }),
    };
    const signer = native.createClientAssertionSigner(fs.readFileSync(path.join(ROOT, vector.key_file), 'utf8'), undefined, settings);
    assert.ok(!(signer instanceof native.Failure), vector.name);
    const token = native._oauthSignWithJti(signer, vector.now, vector.jti);
    if (vector.token !== null) {
      assert.equal(token, vector.token, vector.name);
    } else {
      assert.deepEqual(decodeProtectedHeader(token), vector.header, vector.name);
      assert.deepEqual(decodeJwt(token), vector.payload, vector.name);
    }
    await compactVerify(token, await importJWK(vector.public_jwk, vector.public_jwk.alg));
    assert.deepEqual(
      qlik.explainClientAssertion(token, {
        clientId: vector.client_id,
        tenantUrl: vector.tenant_url,
        publicKey: vector.public_jwk,
        nowSeconds: vector.now,
      }),
      [],
      vector.name,
    );
  }
});

test('keys and tenants Qlik would not take are refused with stable codes', () => {
  const make = (privateKey, extra = {}) =>
    qlik.createClientAssertionSigner({ privateKey, keyId: 'k', clientId: 'c', tenantUrl: TENANT, ...extra });
  const refused = [
    [createSecretKey(Buffer.from('a shared secret of 32 bytes!!!!!')), 'ERR_OAUTH_KEY_NOT_ALLOWED', /shared secret/],
    [keyText('ec256-private-pkcs8.pem'), 'ERR_OAUTH_KEY_NOT_ALLOWED', /P-384/],
    [keyText('ec521-private-pkcs8.pem'), 'ERR_OAUTH_KEY_NOT_ALLOWED', /ES512/],
    [keyText('rsapss2048-private-pkcs8.pem'), 'ERR_OAUTH_KEY_NOT_ALLOWED', /RSA-PSS/],
    [keyText('rsa1024-private-pkcs8.pem'), 'ERR_KEY_TOO_SMALL', /at least 2048 bits/],
  ];
  for (const [privateKey, code, message] of refused) {
    assert.throws(() => make(privateKey), (error) => error.code === code && message.test(error.message));
  }
  const rsa = keyText('rsa2048-private-pkcs8.pem');
  for (const tenantUrl of [`${TENANT}/oauth/token`, `${TENANT}?x=1`, 'http://acme.eu.qlikcloud.com']) {
    assert.throws(() => make(rsa, { tenantUrl }), { code: 'ERR_OAUTH_TENANT_URL' });
  }
  assert.throws(() => make(rsa, { algorithm: 'PS256' }), { code: 'ERR_OAUTH_KEY_NOT_ALLOWED' });
  assert.throws(() => make(rsa, { lifetimeSeconds: 301 }), { code: 'ERR_INVALID_OPTION' });
  assert.throws(() => make(rsa, { keyId: '' }), { code: 'ERR_INVALID_OPTION' });
  assert.throws(() => qlik.createClientAssertionSigner('pem'), TypeError);
  assert.throws(() => qlik.generateOauthKeys({ keyId: 'k', keyType: 'p256' }), { code: 'ERR_INVALID_OPTION' });
});

test('a private JWK is taken as an object, as its text, or in the createPrivateKey form', () => {
  const jwk = JSON.parse(keyText('rsa2048-private.jwk.json'));
  const pem = keyText('rsa2048-public-spki.pem');
  for (const privateKey of [jwk, JSON.stringify(jwk), { key: jwk, format: 'jwk' }]) {
    const signer = qlik.createClientAssertionSigner({ privateKey, keyId: 'k', clientId: 'c', tenantUrl: TENANT });
    const problems = qlik.explainClientAssertion(signer.sign(), { clientId: 'c', tenantUrl: TENANT, publicKey: pem, keyId: 'k' });
    assert.deepEqual(problems, []);
  }
});

test('an encrypted private key takes its passphrase', () => {
  const signer = qlik.createClientAssertionSigner({
    privateKey: keyText('rsa2048-private-pkcs8-encrypted-aes128.pem'),
    passphrase: 'qlik-jwt-test',
    keyId: 'k',
    clientId: 'c',
    tenantUrl: TENANT,
  });
  const problems = qlik.explainClientAssertion(signer.sign(), {
    clientId: 'c',
    tenantUrl: TENANT,
    publicKey: keyText('rsa2048-public-spki.pem'),
    keyId: 'k',
  });
  assert.deepEqual(problems, []);
});

test('explainClientAssertion names what Qlik refuses, against a JWK, its text or a PEM', () => {
  const keys = qlik.generateOauthKeys({ keyId: 'kid-x', keyType: 'ec' });
  const signer = qlik.createClientAssertionSigner({
    privateKey: keys.privateKey,
    keyId: 'kid-x',
    clientId: 'client',
    tenantUrl: TENANT,
  });
  const assertion = signer.sign();
  const publicPem = createPublicKey(keys.privateKey).export({ type: 'spki', format: 'pem' });
  for (const publicKey of [keys.publicJwk, JSON.stringify(keys.publicJwk), publicPem, createPublicKey(publicPem)]) {
    assert.deepEqual(qlik.explainClientAssertion(assertion, { clientId: 'client', tenantUrl: TENANT, publicKey }), []);
  }
  const late = Math.floor(Date.now() / 1000) + 3600;
  assert.deepEqual(
    codes(qlik.explainClientAssertion(assertion, { clientId: 'other', tenantUrl: TENANT, publicKey: keys.publicJwk, nowSeconds: late })),
    ['OAUTH_ISS_MISMATCH', 'OAUTH_SUB_MISMATCH', 'OAUTH_EXPIRED'],
  );
  const otherKey = qlik.generateOauthKeys({ keyId: 'kid-x', keyType: 'ec' }).publicJwk;
  assert.deepEqual(
    codes(qlik.explainClientAssertion(assertion, { clientId: 'client', tenantUrl: TENANT, publicKey: otherKey })),
    ['OAUTH_SIGNATURE_INVALID'],
  );
  assert.deepEqual(
    codes(qlik.explainClientAssertion(assertion, { clientId: 'client', tenantUrl: 'https://other.eu.qlikcloud.com', publicKey: keys.publicJwk })),
    ['OAUTH_AUD_MISMATCH'],
  );
  assert.deepEqual(codes(qlik.explainClientAssertion('not-a-jwt', { clientId: 'c', tenantUrl: TENANT })), ['OAUTH_MALFORMED_ASSERTION']);
  assert.throws(
    () => qlik.explainClientAssertion(assertion, { clientId: 'c', tenantUrl: TENANT, publicKey: { ...keys.publicJwk, d: 'AQAB' } }),
    /private key/,
  );
  assert.throws(() => qlik.explainClientAssertion(42, { clientId: 'c', tenantUrl: TENANT }), TypeError);
});

test('keys are written with the private key readable by its owner only, and never shown', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qlik-jwt-oauth-'));
  try {
    const keys = qlik.generateOauthKeys({ keyId: 'k', keyType: 'ec', dir });
    assert.deepEqual(JSON.parse(fs.readFileSync(keys.files.publicJwk, 'utf8')), keys.publicJwk);
    assert.equal(fs.readFileSync(keys.files.privateKey, 'utf8'), keys.privateKey);
    if (process.platform !== 'win32') assert.equal(fs.statSync(keys.files.privateKey).mode & 0o777, 0o600);
    assert.throws(() => qlik.generateOauthKeys({ keyId: 'k', keyType: 'ec', dir }), { code: 'ERR_IO' });
    const signer = qlik.createClientAssertionSigner({ privateKey: keys.privateKey, keyId: 'k', clientId: 'c', tenantUrl: TENANT });
    const shown = inspect(signer);
    assert.match(shown, /ClientAssertionSigner/);
    assert.match(shown, /\[redacted\]/);
    assert.ok(!shown.includes('PRIVATE KEY'), shown);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
