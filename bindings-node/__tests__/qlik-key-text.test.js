'use strict';
// Keys as Qlik users paste them: the Qlik API reads the certificate in the single-line form of
// Qlik's console and a private key with escaped line breaks (from JSON or an environment
// variable), which the jsonwebtoken-compatible functions, like OpenSSL, refuse.

const { test } = require('node:test');
const assert = require('node:assert/strict');

const { qlik, keyText } = require('./helpers');

const PROVIDER = { issuer: 'https://my-custom-jwt', keyId: 'my-custom-jwt' };
const PRIVATE_KEY = keyText('rsa2048-private-pkcs8.pem');
const CERTIFICATE = keyText('rsa2048-cert.pem');
const USER = { sub: 'u1', name: 'User One', email: 'u1@example.com', emailVerified: true };

const singleLine = (pem) => pem.split(/\r?\n/).join('');
const escaped = (pem) => pem.trim().split('\n').join('\\n');

test('explainQlikToken takes the certificate as the console shows it, on one line', () => {
  const token = qlik.createQlikSigner({ privateKey: PRIVATE_KEY, ...PROVIDER }).sign(USER);
  const problems = qlik.explainQlikToken(token, { ...PROVIDER, certificate: singleLine(CERTIFICATE) });
  assert.deepEqual(problems.filter((p) => p.severity === 'error'), []);
  assert.throws(() => qlik.verify(token, singleLine(CERTIFICATE)), { name: 'JsonWebTokenError' });
});

test('createQlikSigner takes a private key with escaped line breaks', () => {
  const token = qlik.createQlikSigner({ privateKey: escaped(PRIVATE_KEY), ...PROVIDER }).sign(USER);
  assert.equal(qlik.verify(token, CERTIFICATE, { algorithms: ['RS256'] }).sub, 'u1');
});

test('a single-line certificate that belongs to another key is still reported', () => {
  const other = keyText('rsa4096-publickey.cer');
  const token = qlik.createQlikSigner({ privateKey: PRIVATE_KEY, ...PROVIDER }).sign(USER);
  const codes = qlik.explainQlikToken(token, { ...PROVIDER, certificate: singleLine(other) })
    .map((p) => p.code);
  assert.ok(codes.includes('QLIK_SIGNATURE_MISMATCH'), codes.join(', '));
});
