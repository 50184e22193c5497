'use strict';
// The callback and promise forms go to the libuv pool only when the work is worth the trip: a
// secret's MAC costs less than handing it to a pool thread, an RSA or EC signature does not.
// With every pool thread blocked, a secret's sign and verify still settle, and an RSA key's
// wait. The order of events shows it: the pool is held by jobs that wait on a FIFO until the
// test releases them, not by work that should take long enough, and no timing is asserted.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { qlik, keyText } = require('./helpers');

const RSA_PRIVATE = keyText('rsa2048-private-pkcs8.pem');
const RSA_PUBLIC = keyText('rsa2048-public-spki.pem');
const SECRET = 'express-session-secret';
/** Only ends a run that fails (operations that wait for the pool forever); never reached otherwise. */
const GIVE_UP_MS = 30_000;

/** libuv's own reading of the pool size: UV_THREADPOOL_SIZE, else 4. */
const POOL_SIZE = Number(process.env.UV_THREADPOOL_SIZE) || 4;

/**
 * Blocks every pool thread: each opens a FIFO for reading, which waits until a writer opens
 * it. `release()` opens the writer; `jobs` settle as the threads come free.
 */
function blockThePool() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qlik-jwt-pool-'));
  const gate = path.join(dir, 'gate');
  execFileSync('mkfifo', [gate]);
  const jobs = Array.from({ length: POOL_SIZE }, () => new Promise((resolve, reject) => {
    fs.open(gate, 'r', (e, fd) => {
      if (e) return reject(e);
      fs.closeSync(fd);
      return resolve();
    });
  }));
  let writer = null;
  const release = () => {
    // Opening for writing waits for a reader, and the blocked pool threads are the readers.
    if (writer === null) writer = fs.openSync(gate, 'w');
  };
  const finished = Promise.all(jobs).finally(() => {
    fs.closeSync(writer);
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { jobs, release, finished };
}

/**
 * Runs the named operations while every pool thread is blocked, and releases the pool once
 * `releaseWhen` settles: the names in the order they settled, with 'pool free' where the first
 * pool thread came free.
 */
async function settleOrder(operations, releaseWhen) {
  const order = [];
  const pool = blockThePool();
  const giveUp = setTimeout(pool.release, GIVE_UP_MS);
  const settled = Object.entries(operations).map(([name, run]) => run().then(() => order.push(name)));
  releaseWhen(settled).then(() => new Promise((resolve) => setImmediate(resolve))).then(pool.release);
  await Promise.all([Promise.race(pool.jobs).then(() => order.push('pool free')), ...settled]);
  clearTimeout(giveUp);
  await pool.finished;
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
  }, (settled) => Promise.all(settled));
  assert.equal(order.at(-1), 'pool free', order.join(', '));
  assert.equal(order.length, 5);
});

test('with an RSA key, sign and verify wait for a pool thread', async () => {
  const token = qlik.sign({ sub: 'u' }, RSA_PRIVATE, { algorithm: 'RS256' });
  // A secret's sign settles without the pool: once it has, an RSA signature made off the pool
  // would have settled too, and the pool is released.
  const order = await settleOrder({
    'secret sign': () => qlik.signAsync({ sub: 'u' }, SECRET),
    'promise sign': () => qlik.signAsync({ sub: 'u' }, RSA_PRIVATE, { algorithm: 'RS256' }),
    'promise verify': () => qlik.verifyAsync(token, RSA_PUBLIC),
  }, (settled) => settled[0]);
  assert.deepEqual(order.slice(0, 2), ['secret sign', 'pool free'], order.join(', '));
  assert.equal(order.length, 4);
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
