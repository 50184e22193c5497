'use strict';
// Runs one operation in a loop for a time window and counts completions. Sync operations run
// back to back; async ones keep `lanes` calls in flight so a libuv pool of any size stays busy.

const { performance } = require('node:perf_hooks');

async function loop(fn, mode, ms, minOps, lanes) {
  const t0 = performance.now();
  const deadline = t0 + ms;
  let ops = 0;
  if (mode === 'sync') {
    while (performance.now() < deadline || ops < minOps) {
      fn();
      ops++;
    }
  } else {
    const lane = async () => {
      while (performance.now() < deadline || ops < minOps) {
        await fn();
        ops++;
      }
    };
    await Promise.all(Array.from({ length: lanes }, lane));
  }
  return { ops, secs: (performance.now() - t0) / 1000 };
}

/**
 * Warm up for `warmMs`, then measure for `ms` (and at least `minOps` operations). A `warmMs` of 0
 * skips the warm-up: a later slice of a case that is already warm.
 */
async function measure(fn, mode, { ms, warmMs, minOps, lanes }) {
  if (warmMs > 0) await loop(fn, mode, warmMs, 1, lanes);
  return loop(fn, mode, ms, minOps, lanes);
}

module.exports = { loop, measure };
