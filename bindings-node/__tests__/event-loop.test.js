'use strict';
// The callback and promise forms sign on the libuv pool: while many RS256 signatures with the
// tutorial's 4096-bit key are in flight, a timer keeps firing. The synchronous form, for
// contrast, holds the event loop for the whole batch.

const { test } = require('node:test');
const assert = require('node:assert/strict');

const { qlik, key } = require('./helpers');

const PRIVATE_KEY = key('rsa4096-privatekey.pem');
const IN_FLIGHT = 64;
const TICK_MS = 5;

function payload(i) {
  return { sub: `user-${i}`, subType: 'user', name: 'Hardcore Harry', email: '', email_verified: true };
}

/** Runs `work` (which returns a promise) while a timer ticks; returns the tick times. */
async function ticksDuring(work) {
  const ticks = [];
  const timer = setInterval(() => ticks.push(performance.now()), TICK_MS);
  const started = performance.now();
  await work();
  const elapsed = performance.now() - started;
  clearInterval(timer);
  return { ticks, elapsed, started };
}

test('the event loop keeps running while RS256-4096 signatures are in flight', async (t) => {
  const { ticks, elapsed, started } = await ticksDuring(() =>
    Promise.all(Array.from({ length: IN_FLIGHT }, (_, i) => qlik.signAsync(payload(i), PRIVATE_KEY, { algorithm: 'RS256' }))));
  const gaps = ticks.map((tick, i) => tick - (i === 0 ? started : ticks[i - 1]));
  const longestGap = Math.max(...gaps);
  t.diagnostic(`${IN_FLIGHT} signatures in ${elapsed.toFixed(0)} ms; ${ticks.length} ticks; longest gap ${longestGap.toFixed(1)} ms`);
  assert.ok(elapsed > 20 * TICK_MS, `the batch took only ${elapsed} ms: too short to show anything`);
  assert.ok(ticks.length >= elapsed / (TICK_MS * 10), `only ${ticks.length} ticks in ${elapsed} ms`);
  assert.ok(longestGap < Math.max(250, elapsed / 4), `the event loop stalled for ${longestGap} ms`);
});

test('callbacks also sign off the event loop', async () => {
  const signWithCallback = (i) => new Promise((resolve, reject) => {
    qlik.sign(payload(i), PRIVATE_KEY, { algorithm: 'RS256' }, (e, token) => (e ? reject(e) : resolve(token)));
  });
  const { ticks, elapsed } = await ticksDuring(() =>
    Promise.all(Array.from({ length: IN_FLIGHT / 2 }, (_, i) => signWithCallback(i))));
  assert.ok(ticks.length >= elapsed / (TICK_MS * 10), `only ${ticks.length} ticks in ${elapsed} ms`);
});

test('contrast: the synchronous form blocks the timer for the whole batch', async () => {
  const { ticks } = await ticksDuring(async () => {
    for (let i = 0; i < IN_FLIGHT / 4; i++) qlik.sign(payload(i), PRIVATE_KEY, { algorithm: 'RS256' });
  });
  assert.equal(ticks.length, 0);
});
