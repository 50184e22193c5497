'use strict';
// The callback and promise forms sign on the libuv pool: while RS256 signatures with the
// tutorial's 4096-bit key are in flight, a timer keeps firing. The synchronous form, for
// contrast, holds the event loop for as long as it signs.
//
// The work is sized by time, not by a count of signatures: each lane keeps one signature in
// flight and starts the next as the last settles, until RUN_MS have passed. A faster CPU signs
// more in that time, a slower one fewer; what is checked does not depend on which. The checks
// are relative to the run itself: the timer fired while signatures were pending, and no gap
// between its ticks took a large share of the run.

const { test } = require('node:test');
const assert = require('node:assert/strict');

const { qlik, key } = require('./helpers');

const PRIVATE_KEY = key('rsa4096-privatekey.pem');
/** How long signatures are kept in flight. */
const RUN_MS = 1000;
/** Signatures in flight at once: more than the pool has threads, so some always wait. */
const LANES = 16;
const TICK_MS = 5;
/** A free event loop fires the timer many times a run; a blocked one not at all. */
const MIN_TICKS_WHILE_PENDING = 10;
/** The longest gap between ticks may be at most this share of the run. */
const MAX_GAP_SHARE = 1 / 4;

function payload(i) {
  return { sub: `user-${i}`, subType: 'user', name: 'Hardcore Harry', email: '', email_verified: true };
}

/**
 * Keeps LANES signatures in flight until `runMs` have passed, while a timer ticks. Returns how
 * many were signed, how many ticks fired while at least one signature was pending, the longest
 * gap between ticks (the run's start and end count as ticks) and the run's length.
 */
async function signWhileTicking(signOne, runMs = RUN_MS) {
  let pending = 0;
  let signed = 0;
  const ticks = [];
  const started = performance.now();
  const timer = setInterval(() => ticks.push({ at: performance.now(), pending }), TICK_MS);
  // Every lane signs at least once, however long the others took to start.
  const lane = async (lane) => {
    do {
      pending += 1;
      try {
        await signOne(lane * 1_000_000 + signed);
      } finally {
        pending -= 1;
      }
      signed += 1;
    } while (performance.now() - started < runMs);
  };
  try {
    await Promise.all(Array.from({ length: LANES }, (_, i) => lane(i)));
  } finally {
    clearInterval(timer);
  }
  const elapsed = performance.now() - started;
  const instants = [0, ...ticks.map((tick) => tick.at - started), elapsed];
  const longestGap = Math.max(...instants.slice(1).map((instant, i) => instant - instants[i]));
  const ticksWhilePending = ticks.filter((tick) => tick.pending > 0).length;
  return { signed, ticksWhilePending, longestGap, elapsed };
}

function summary(run) {
  return `${run.signed} signatures in ${run.elapsed.toFixed(0)} ms; ${run.ticksWhilePending} ticks while pending; longest gap ${run.longestGap.toFixed(1)} ms`;
}

function assertTheLoopKeptRunning(run) {
  assert.ok(run.signed >= LANES, `every lane signed at least once: ${summary(run)}`);
  assert.ok(run.ticksWhilePending >= MIN_TICKS_WHILE_PENDING, `the timer barely fired while signatures were pending: ${summary(run)}`);
  assert.ok(run.longestGap < run.elapsed * MAX_GAP_SHARE, `the event loop stalled: ${summary(run)}`);
}

test('the event loop keeps running while RS256-4096 signatures are in flight', async (t) => {
  const run = await signWhileTicking((i) => qlik.signAsync(payload(i), PRIVATE_KEY, { algorithm: 'RS256' }));
  t.diagnostic(summary(run));
  assertTheLoopKeptRunning(run);
});

test('callbacks also sign off the event loop', async (t) => {
  const signWithCallback = (i) => new Promise((resolve, reject) => {
    qlik.sign(payload(i), PRIVATE_KEY, { algorithm: 'RS256' }, (e, token) => (e ? reject(e) : resolve(token)));
  });
  const run = await signWhileTicking(signWithCallback);
  t.diagnostic(summary(run));
  assertTheLoopKeptRunning(run);
});

test('contrast: the same measure sees the synchronous form hold the event loop', async (t) => {
  // An async function that signs synchronously settles in a microtask, so the lanes never
  // give the timer a turn: the checks above must fail for it, or they prove nothing.
  const run = await signWhileTicking(async (i) => qlik.sign(payload(i), PRIVATE_KEY, { algorithm: 'RS256' }), RUN_MS / 4);
  t.diagnostic(summary(run));
  assert.ok(run.signed >= LANES, summary(run));
  assert.equal(run.ticksWhilePending, 0, summary(run));
  assert.equal(run.longestGap, run.elapsed, summary(run));
});
