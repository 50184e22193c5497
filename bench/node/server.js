'use strict';
// The Node measurement server: the orchestrator (bench/orchestrate.py) sends one JSON command a
// line on stdin and reads one JSON answer a line on stdout.
//   {"cmd":"list"}  -> {"cases":[{id, op, alg, lib, variant, mode, ours, skip}]}
//   {"cmd":"run", "id", "threads", "ms", "warmMs", "minOps", "lanes"} -> {"ops","secs"}
// threads=1 runs on this thread (sync) or with `lanes` calls in flight (async); threads=2 runs
// sync cases on two worker_threads and async cases with calls in flight on the libuv pool,
// whose size the orchestrator set with UV_THREADPOOL_SIZE when it started this process.

const readline = require('node:readline');
const { Worker } = require('node:worker_threads');
const path = require('node:path');
const { buildCases } = require('./cases');
const { checkCase } = require('./check');
const { measure } = require('./measure');

let cases;
const made = new Map();
let workers;

async function prepared(c) {
  if (!made.has(c.id)) made.set(c.id, await c.make());
  return made.get(c.id);
}

async function list() {
  cases = buildCases();
  const out = [];
  for (const c of cases) {
    let skip = c.skip;
    if (!skip) {
      try {
        await checkCase(c, await prepared(c));
      } catch (e) {
        skip = `failed its output check: ${String(e && e.message ? e.message : e).split('\n')[0]}`;
      }
    }
    c.skip = skip;
    const { make, ...meta } = c;
    out.push(meta);
  }
  return { cases: out };
}

function ask(w, msg, type) {
  return new Promise((resolve, reject) => {
    const on = (m) => {
      if (m.type === 'error') { w.off('message', on); reject(new Error(m.error)); }
      else if (m.type === type) { w.off('message', on); resolve(m); }
    };
    w.on('message', on);
    w.postMessage(msg);
  });
}

async function runOnWorkers(c, cmd) {
  if (!workers) workers = [0, 1].map(() => new Worker(path.join(__dirname, 'worker.js')));
  await Promise.all(workers.map((w) => ask(w, { type: 'prepare', id: c.id, warmMs: cmd.warmMs }, 'ready')));
  const res = await Promise.all(workers.map((w) => ask(w, { type: 'go', id: c.id, ms: cmd.ms, minOps: cmd.minOps }, 'done')));
  const secs = Math.max(...res.map((r) => r.secs));
  // Sum of each thread's own rate, reported as ops over the longest window.
  const rate = res.reduce((acc, r) => acc + r.ops / r.secs, 0);
  return { ops: rate * secs, secs };
}

async function run(cmd) {
  const c = cases.find((x) => x.id === cmd.id);
  if (!c) throw new Error(`unknown case ${cmd.id}`);
  if (c.skip) throw new Error(`skipped: ${c.skip}`);
  if (cmd.threads === 2 && c.mode === 'sync') return runOnWorkers(c, cmd);
  const lanes = c.mode === 'async' ? (cmd.lanes || 8) : 1;
  return measure(await prepared(c), c.mode, { ...cmd, lanes });
}

async function main() {
  const rl = readline.createInterface({ input: process.stdin });
  for await (const line of rl) {
    if (!line.trim()) continue;
    let answer;
    try {
      const cmd = JSON.parse(line);
      if (cmd.cmd === 'list') answer = await list();
      else if (cmd.cmd === 'run') answer = await run(cmd);
      else if (cmd.cmd === 'quit') break;
      else throw new Error(`unknown command ${cmd.cmd}`);
    } catch (e) {
      answer = { error: String(e && e.message ? e.message : e) };
    }
    process.stdout.write(`${JSON.stringify(answer)}\n`);
  }
  if (workers) await Promise.all(workers.map((w) => w.terminate()));
}

main();
