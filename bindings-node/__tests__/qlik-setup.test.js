'use strict';
// Qlik setup from Node: generated keys and certificates are checked with openssl (the oracle),
// the single-line PEM and the identity-provider body against the certificate they came from.

const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const qlik = require('qlik-jwt');
const { keyText } = require('./helpers');

function tempDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'qlik-jwt-setup-'));
}

function openssl(...args) {
  return execFileSync('openssl', args, { encoding: 'utf8' });
}

for (const [keyType, algorithm, keyText_] of [
  ['rsa2048', 'RS256', 'Public-Key: (2048 bit)'],
  ['p256', 'ES256', 'Public-Key: (256 bit)'],
  ['p384', 'ES384', 'Public-Key: (384 bit)'],
]) {
  test(`generateKeys writes ${keyType} files that openssl reads and that belong together`, () => {
    const dir = tempDir();
    const keys = qlik.generateKeys({ keyType, dir, commonName: 'setup-test', days: 30 });
    assert.equal(keys.keyType, keyType);
    assert.equal(keys.algorithm, algorithm);
    assert.equal(keys.files.privateKey, path.join(dir, 'privatekey.pem'));
    assert.equal(keys.files.certificate, path.join(dir, 'publickey.cer'));
    assert.equal(fs.readFileSync(keys.files.privateKey, 'utf8'), keys.privateKey);
    assert.equal(fs.readFileSync(keys.files.certificate, 'utf8'), keys.certificate);
    assert.equal(fs.statSync(keys.files.privateKey).mode & 0o777, 0o600);
    assert.match(keys.privateKey, /^-----BEGIN PRIVATE KEY-----\n/);

    const certText = openssl('x509', '-in', keys.files.certificate, '-noout', '-text');
    assert.ok(certText.includes(keyText_), certText);
    assert.match(certText, /Subject: CN ?= ?setup-test/);
    const fromKey = openssl('pkey', '-in', keys.files.privateKey, '-pubout');
    const fromCert = openssl('x509', '-in', keys.files.certificate, '-noout', '-pubkey');
    assert.equal(fromKey, fromCert);
    assert.equal(qlik.keyMatches(keys.privateKey, keys.certificate), true);
  });
}

test('generateKeysAsync makes RSA 4096 by default, as the tutorial', async () => {
  const keys = await qlik.generateKeysAsync();
  assert.equal(keys.keyType, 'rsa4096');
  assert.equal(keys.algorithm, 'RS256');
  assert.equal(keys.files, undefined);
  const key = crypto.createPrivateKey(keys.privateKey);
  assert.equal(key.asymmetricKeyDetails.modulusLength, 4096);
  const cert = new crypto.X509Certificate(keys.certificate);
  assert.ok(cert.checkPrivateKey(key));
});

test('generateKeys keeps existing files unless overwrite', () => {
  const dir = tempDir();
  const first = qlik.generateKeys({ keyType: 'p256', dir });
  assert.throws(() => qlik.generateKeys({ keyType: 'p256', dir }), (error) => {
    assert.equal(error.code, 'ERR_IO');
    assert.match(error.message, /privatekey\.pem exists already/);
    return true;
  });
  assert.equal(fs.readFileSync(path.join(dir, 'privatekey.pem'), 'utf8'), first.privateKey);
  const second = qlik.generateKeys({ keyType: 'p256', dir, overwrite: true });
  assert.notEqual(second.privateKey, first.privateKey);
  assert.equal(fs.readFileSync(path.join(dir, 'privatekey.pem'), 'utf8'), second.privateKey);
});

test('generateKeys refuses an unknown key type, naming the choices', () => {
  assert.throws(() => qlik.generateKeys({ keyType: 'dsa' }), /expected one of rsa2048/);
});

test('singleLinePem: one line, the same certificate once wrapped back', () => {
  const certificate = keyText('rsa2048-cert.pem');
  const line = qlik.singleLinePem(certificate);
  assert.ok(!/\s/.test(line.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '')));
  assert.ok(!line.includes('\n'));
  assert.match(line, /^-----BEGIN CERTIFICATE-----MII.*-----END CERTIFICATE-----$/);
  const body = line.slice('-----BEGIN CERTIFICATE-----'.length, -'-----END CERTIFICATE-----'.length);
  const rewrapped = `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g).join('\n')}\n-----END CERTIFICATE-----\n`;
  assert.equal(
    new crypto.X509Certificate(rewrapped).fingerprint256,
    new crypto.X509Certificate(certificate).fingerprint256,
  );
  assert.equal(qlik.singleLinePem(line), line);
  assert.equal(qlik.singleLinePem(Buffer.from(certificate)), line);
  const publicKey = crypto.createPublicKey(certificate);
  assert.match(qlik.singleLinePem(publicKey), /^-----BEGIN PUBLIC KEY-----MII/);
});

test('singleLinePem refuses a private key', () => {
  assert.throws(() => qlik.singleLinePem(keyText('rsa2048-private-pkcs8.pem')), (error) => {
    assert.equal(error.code, 'ERR_INVALID_KEY');
    assert.match(error.message, /private key, which must never leave your server/);
    return true;
  });
});

test('identityProviderConfig: the JWT identity provider body with the single-line certificate', () => {
  const certificate = keyText('rsa2048-cert.pem');
  const body = qlik.identityProviderConfig({
    issuer: 'https://issuer.example',
    keyId: 'kid-1',
    certificate,
    description: 'test provider',
    clockToleranceSec: 5,
  });
  assert.deepEqual(body, {
    protocol: 'jwtAuth',
    provider: 'external',
    description: 'test provider',
    options: {
      issuer: 'https://issuer.example',
      staticKeys: [{ kid: 'kid-1', pem: qlik.singleLinePem(certificate) }],
    },
    clockToleranceSec: 5,
  });
  const minimal = qlik.identityProviderConfig({ issuer: 'i', keyId: 'k', certificate });
  assert.ok(!('clockToleranceSec' in minimal));
  assert.ok(!('description' in minimal));
  // The core's rule and words, as in Python.
  assert.throws(() => qlik.identityProviderConfig({ issuer: 'i', keyId: 'k', certificate, clockToleranceSec: -1 }), {
    code: 'ERR_INVALID_OPTION',
    message: /clockToleranceSec takes zero or more seconds/,
  });
});

test('keyMatches: the pair matches, another key does not, in every key form', () => {
  const privatePem = keyText('rsa2048-private-pkcs8.pem');
  const certificate = keyText('rsa2048-cert.pem');
  assert.equal(qlik.keyMatches(privatePem, certificate), true);
  assert.equal(qlik.keyMatches(crypto.createPrivateKey(privatePem), crypto.createPublicKey(certificate)), true);
  assert.equal(qlik.keyMatches(privatePem, qlik.singleLinePem(certificate)), true);
  const other = qlik.generateKeys({ keyType: 'rsa2048' });
  assert.equal(qlik.keyMatches(other.privateKey, certificate), false);
  assert.equal(qlik.keyMatches(privatePem, other.certificate), false);
  assert.throws(() => qlik.keyMatches(42, certificate), TypeError);
});
