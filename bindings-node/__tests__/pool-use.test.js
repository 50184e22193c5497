'use strict';
// The callback and promise forms go to the libuv pool only when the work is worth the trip: a
// secret's MAC costs less than handing it to a pool thread, an RSA or EC signature does not.
// With every pool thread busy, a secret's sign and verify still settle, and an RSA key's wait.
// The order of completions shows it; no timing is asserted.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');

const { qlik, keyText } = require('./helpers');

const RSA_PRIVATE = keyText('rsa2048-private-pkcs8.pem');
const RSA_PUBLIC = keyText('rsa2048-public-spki.pem');
const SECRET = 'express-session-secret';

/** libuv's own reading of the pool size: UV_THREADPOOL_SIZE, else 4. */
const POOL_SIZE = Number(process.env.UV_THREADPOOL_SIZE) || 4;

/** Keeps every pool thread busy with a job of its own. */
function occupyThePool() {
  return Array.from({ length: POOL_SIZE }, () => new Promise((resolve, reject) => {
    crypto.pbkdf2('password', 'salt', 400_000, 32, 'sha256', (e) => (e ? reject(e) : resolve()));
  }));
}

/**
 * Runs the named operations while every pool thread is busy: the names in the order they
 * settled, with 'pool free' where the first pool thread became free.
 */
async function settleOrder(operations) {
  const order = [];
  const jobs = occupyThePool();
  await Promise.all([
    Promise.race(jobs).then(() => order.push('pool free')),
    ...Object.entries(operations).map(([name, run]) => run().then(() => order.push(name))),
  ]);
  await Promise.all(jobs);
  return order;
}

const signWithCallback = (key, options, payload = { sub: 'u' }) => new Promise((resolve, reject) => {
  qlik.sign(payload, key, options, (e, token) => (e ? reject(e) : resolve(token)));
});

test('with a secret, sign and verify do not wait for a busy pool', async () => {
  const token = qlik.sign({ sub: 'u' }, SECRET);
  const order = await settleOrder({
    'callback sign': () => signWithCallback(SECRET, { algorithm: 'HS256' }),
    'promise sign': () => qlik.signAsync({ sub: 'u' }, SECRET),
    'promise verify': () => qlik.verifyAsync(token, SECRET),
    'verify with a key function': () => qlik.verifyAsync(token, (header, done) => done(null, SECRET)),
  });
  assert.equal(order.at(-1), 'pool free', order.join(', '));
  assert.equal(order.length, 5);
});

test('with an RSA key, sign and verify wait for a pool thread', async () => {
  const token = qlik.sign({ sub: 'u' }, RSA_PRIVATE, { algorithm: 'RS256' });
  const order = await settleOrder({
    'promise sign': () => qlik.signAsync({ sub: 'u' }, RSA_PRIVATE, { algorithm: 'RS256' }),
    'promise verify': () => qlik.verifyAsync(token, RSA_PUBLIC),
  });
  assert.equal(order[0], 'pool free', order.join(', '));
});

test('a secret signed without the pool gives the same token as the synchronous form', async () => {
  // `iat` is given, so `exp` follows from it and both calls sign the very same claims.
  const options = { algorithm: 'HS384', expiresIn: '1h', issuer: 'me' };
  const claims = () => ({ sub: 'u', iat: 1_700_000_000 });
  assert.equal(await signWithCallback(SECRET, options, claims()), qlik.sign(claims(), SECRET, options));
  // mutatePayload still reaches the caller's object.
  const payload = { sub: 'u' };
  await new Promise((resolve, reject) => {
    qlik.sign(payload, SECRET, { ...options, mutatePayload: true }, (e) => (e ? reject(e) : resolve()));
  });
  assert.equal(payload.iss, 'me');
  assert.equal(payload.exp, payload.iat + 3600);
});
