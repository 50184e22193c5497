'use strict';
// A worker thread of the 2-thread runs of sync cases: builds the case itself, warms up, waits
// for the go signal so both threads measure the same window, then reports its count.

const { parentPort } = require('node:worker_threads');
const { buildCases } = require('./cases');
const { loop } = require('./measure');

const made = new Map();
let cases;

parentPort.on('message', async (msg) => {
  try {
    if (msg.type === 'prepare') {
      cases = cases || buildCases();
      if (!made.has(msg.id)) made.set(msg.id, await cases.find((c) => c.id === msg.id).make());
      const fn = made.get(msg.id);
      if (msg.warmMs > 0) await loop(fn, 'sync', msg.warmMs, 1, 1);
      parentPort.postMessage({ type: 'ready' });
    } else if (msg.type === 'go') {
      const r = await loop(made.get(msg.id), 'sync', msg.ms, msg.minOps, 1);
      parentPort.postMessage({ type: 'done', ...r });
    }
  } catch (e) {
    parentPort.postMessage({ type: 'error', error: String(e && e.stack ? e.stack : e) });
  }
});
