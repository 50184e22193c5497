'use strict';
// Replays the shared vectors of tests/vectors (what jsonwebtoken 9.0.3 does, recorded by the
// generator) through the package, synchronously and in the callback form.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const { ROOT, KEYS_DIR, qlik, oracle, at, describeError, segments } = require('./helpers');
const codec = require(path.join(ROOT, 'tests', 'vectors', 'codec.js'));

const VECTORS_DIR = path.join(ROOT, 'tests', 'vectors');
// The floor catches a loader that finds (almost) nothing; each file's `count` field the rest.
const MINIMUM_COUNTS = { sign: 380, verify: 315, decode: 55 };

function load(kind) {
  const file = JSON.parse(fs.readFileSync(path.join(VECTORS_DIR, `${kind}.json`), 'utf8'));
  assert.equal(file.vectors.length, file.count, `${kind}.json: count field`);
  for (const [name, digest] of Object.entries(file.keys_sha256)) {
    const actual = crypto.createHash('sha256').update(fs.readFileSync(path.join(KEYS_DIR, name))).digest('hex');
    assert.equal(actual, digest, `${name} changed since the vectors were made: regenerate them`);
  }
  return file.vectors;
}

/** Vector ids the core is known to fail, listed in KNOWN_FAILURES.md while it exists. */
function knownFailures() {
  const file = path.join(VECTORS_DIR, 'KNOWN_FAILURES.md');
  if (!fs.existsSync(file)) return new Set();
  const ids = [...fs.readFileSync(file, 'utf8').matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]);
  return new Set(ids);
}

function expectedError(error) {
  const out = { class: error.class, message: error.message };
  if (error.class === 'SyntaxError') out.isSyntaxError = true;
  if (error.class === 'TypeError') out.isTypeError = true;
  if (error.class === 'TokenExpiredError') out.expiredAt = error.at * 1000;
  if (error.class === 'NotBeforeError') out.date = error.at * 1000;
  return out;
}

function check(kind, vector, run) {
  let result;
  try {
    result = run();
  } catch (error) {
    assert.ok('error' in vector.expect, `unexpected error ${error.name}: ${error.message}`);
    assert.deepEqual(describeError(error), expectedError(vector.expect.error));
    return;
  }
  assert.ok(!('error' in vector.expect), `expected ${JSON.stringify(vector.expect.error)}, got a result`);
  if (kind !== 'sign') {
    assert.deepEqual(result, codec.decodeValue(vector.expect.result));
  } else if (vector.randomized) {
    const mine = segments(result);
    const theirs = segments(vector.expect.token);
    assert.deepEqual(mine.slice(0, 2), theirs.slice(0, 2), 'header and payload segments');
    const publicKey = codec.loadKey(vector.verify_key);
    const alg = JSON.parse(Buffer.from(mine[0], 'base64url')).alg;
    assert.ok(oracle.verify(result, publicKey, { algorithms: [alg], ignoreExpiration: true, ignoreNotBefore: true }));
    assert.ok(qlik.verify(vector.expect.token, publicKey, { algorithms: [alg], ignoreExpiration: true, ignoreNotBefore: true }));
  } else {
    assert.equal(result, vector.expect.token);
  }
}

const known = knownFailures();
let replayed = 0;
let expected = 0;

for (const kind of ['sign', 'verify', 'decode']) {
  const vectors = load(kind);
  expected += vectors.length;
  test(`${kind}.json holds the vectors its count field announces`, () => {
    assert.ok(vectors.length >= MINIMUM_COUNTS[kind], `${kind}.json: only ${vectors.length} vectors`);
  });
  for (const vector of vectors) {
    const options = known.has(vector.id) ? { todo: 'listed in tests/vectors/KNOWN_FAILURES.md' } : {};
    test(vector.id, options, () => {
      replayed += 1;
      const input = (v) => codec.decodeValue(v);
      check(kind, vector, () => at(vector.now_ms ?? Date.now(), () => {
        switch (kind) {
          case 'sign':
            return qlik.sign(input(vector.payload), codec.loadKey(vector.key), input(vector.options));
          case 'verify':
            return qlik.verify(input(vector.token), codec.loadKey(vector.key), input(vector.options));
          default:
            return qlik.decode(input(vector.token), input(vector.options));
        }
      }));
    });
  }
}

test('every vector was replayed', () => {
  assert.equal(replayed, expected);
});
