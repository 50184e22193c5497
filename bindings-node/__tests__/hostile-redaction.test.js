'use strict';
// Keys never show: util.inspect, JSON.stringify and String() of a Qlik signer, and the
// errors about broken or locked keys, hold no key material, secret or passphrase.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const util = require('node:util');

const { qlik, key, keyText } = require('./helpers');
const { assertNoKeyMaterial } = require('./hostile-key-material');

const SECRET = 'redaction-secret-b7c1d2';
const PASSPHRASE = 'wrong-passphrase-09ad';

test('a Qlik signer prints its settings, never its key', () => {
  const shown = [];
  for (const [file, algorithm] of [['ec256-private-pkcs8.pem', 'ES256'], ['rsa2048-private-pkcs8.pem', 'RS256'], ['ec521-private-sec1.pem', 'ES512']]) {
    const signer = qlik.createQlikSigner({ privateKey: keyText(file), keyId: 'kid', issuer: 'iss', algorithm });
    const inspected = util.inspect(signer, { showHidden: true, depth: Infinity, getters: true });
    assert.match(inspected, /privateKey: '\[redacted\]'/);
    assert.match(inspected, /keyId: 'kid'/);
    shown.push(inspected, JSON.stringify(signer), String(signer), util.format('%o', signer), util.format('%j', signer));
    assert.deepEqual(Object.keys(signer), []);
  }
  assertNoKeyMaterial(shown, [SECRET, PASSPHRASE]);
});

test('errors about broken or locked keys never quote them', () => {
  const pem = keyText('rsa2048-private-pkcs8.pem');
  const broken = [
    pem.replace('MII', 'M!I'),
    pem.slice(0, 400),
    { key: key('rsa2048-private-pkcs8-encrypted.pem'), passphrase: PASSPHRASE },
    { key: key('rsa2048-private-pkcs1-legacy-encrypted.pem'), passphrase: PASSPHRASE },
    { key: { kty: 'RSA', n: SECRET, e: 'AQAB', d: SECRET }, format: 'jwk' },
  ];
  const messages = [];
  const stacks = [];
  const collect = (fn) => {
    try {
      fn();
    } catch (error) {
      // The error's own properties (code, inner...) as inspect shows them, without the stack.
      messages.push(error.message, util.inspect({ ...error, code: error.code }));
      stacks.push(String(error.stack));
    }
  };
  for (const privateKey of broken) {
    collect(() => qlik.sign({}, privateKey, { algorithm: 'RS256' }));
    collect(() => qlik.verify(qlik.sign({}, SECRET), privateKey, { algorithms: ['RS256', 'HS256'] }));
    collect(() => qlik.createQlikSigner({ privateKey, keyId: 'k', issuer: 'i' }));
    collect(() => qlik.explainQlikToken('a.b.c', { certificate: privateKey }));
  }
  assert.ok(messages.length >= 30, `${messages.length} messages`);
  assertNoKeyMaterial(messages, [SECRET, PASSPHRASE]);
  // Stacks hold long file paths (not scanned for base64 runs); no secret either.
  for (const stack of stacks) assert.ok(!stack.includes(SECRET) && !stack.includes(PASSPHRASE), stack);
});
