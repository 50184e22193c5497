'use strict';
// Leaks: resident memory stays flat over 1,000,000 signs. 900,000 jsonwebtoken-style
// HS256 signs and 100,000 Qlik tokens (ES256 signer) after a warm-up; with a full garbage
// collection before each sample, RSS may grow by at most 20 MB: a native leak of 20 bytes per
// sign would exceed it.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const v8 = require('node:v8');
const vm = require('node:vm');

const { qlik, keyText } = require('./helpers');

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

const BOUND_MB = 20;
const HS_SIGNS = 900_000;
const QLIK_SIGNS = 100_000;
const WARM_UP = 50_000;

function residentMb() {
  gc();
  gc();
  return process.memoryUsage().rss / 1024 / 1024;
}

test(`RSS grows by less than ${BOUND_MB} MB over ${HS_SIGNS + QLIK_SIGNS} signs`, () => {
  const signer = qlik.createQlikSigner({ privateKey: keyText('ec256-private-pkcs8.pem'), keyId: 'k', issuer: 'i', algorithm: 'ES256' });
  const user = { sub: 's', name: 'n', email: 'e@x', emailVerified: true, groups: ['a', 'b'] };
  const payload = { sub: 'user', role: 'reader' };
  for (let i = 0; i < WARM_UP; i += 1) {
    qlik.sign(payload, 'leak-secret');
    signer.sign(user);
  }
  const before = residentMb();
  let last = '';
  for (let i = 0; i < HS_SIGNS; i += 1) last = qlik.sign(payload, 'leak-secret', { expiresIn: 60 });
  for (let i = 0; i < QLIK_SIGNS; i += 1) last = signer.sign(user);
  const growth = residentMb() - before;
  assert.equal(last.split('.').length, 3);
  assert.ok(growth < BOUND_MB, `RSS grew by ${growth.toFixed(1)} MB (from ${before.toFixed(1)} MB)`);
});
