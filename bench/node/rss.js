'use strict';
// Peak resident memory of a fresh process that loads one library and signs N ES256 tutorial
// tokens: qlik-jwt with the PEM on every call (the tutorial's code, which exercises its key
// cache), each peer in its fastest ordinary form (so 100,000 tokens take seconds, not minutes).
// Prints one JSON line.
// A run stops early after <maxSecs> seconds; the line says how many tokens it signed.
//   node bench/node/rss.js <lib> <N> [maxSecs]

const { buildCases } = require('./cases');
const { checkCase } = require('./check');
const { performance } = require('node:perf_hooks');

const VARIANT = {
  'qlik-jwt': 'pem-per-call',
  jsonwebtoken: 'keyobject',
  'fast-jwt': 'createSigner',
  jose: 'imported-key',
  '@node-rs/jsonwebtoken': 'signSync-pem',
};

async function main() {
  const [lib, n, maxSecs] = [process.argv[2], Number(process.argv[3] || 100000), Number(process.argv[4] || 1e9)];
  const c = buildCases([lib]).find((x) => x.id === `node/sign/ES256/${lib}/${VARIANT[lib]}`);
  if (!c) throw new Error(`no ES256 case for ${lib}`);
  if (c.skip) throw new Error(c.skip);
  const fn = await c.make();
  await checkCase(c, fn);
  const baselineKb = process.resourceUsage().maxRSS;
  const t0 = performance.now();
  const deadline = t0 + maxSecs * 1000;
  let ops = 0;
  const lane = async () => {
    while (ops < n && performance.now() < deadline) {
      ops++;
      await fn();
    }
  };
  if (c.mode === 'sync') await lane();
  else await Promise.all(Array.from({ length: 8 }, lane));
  const secs = (performance.now() - t0) / 1000;
  const peakKb = process.resourceUsage().maxRSS;
  process.stdout.write(`${JSON.stringify({ variant: c.variant, baseline_kb: baselineKb, peak_kb: peakKb, secs, ops })}\n`);
}

main().catch((e) => {
  process.stderr.write(`${e && e.message ? e.message : e}\n`);
  process.exit(1);
});
