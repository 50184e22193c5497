'use strict';
// Replays the shared vectors of tests/vectors (what jsonwebtoken 9.0.3 does, recorded by the
// generators beside them) through the package, synchronously: the ordinary paths (sign, verify,
// decode), the odd ones (edge) and seeded random combinations (random). Rust and Python replay
// the same files. They are read by the shared reader, tests/vectors/codec.js.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const { ROOT, qlik, oracle, at, describeError, segments } = require('./helpers');
const codec = require(path.join(ROOT, 'tests', 'vectors', 'codec.js'));

// The floor catches a reader that finds (almost) nothing; each file's `count` field the rest.
const MINIMUM_COUNTS = { sign: 380, verify: 315, decode: 55, edge: 190, random: 600 };

function expectedError(error) {
  // A lone surrogate that V8 quotes in a message arrives as U+FFFD: Rust strings cannot hold
  // one (the documented difference); every other character must match.
  const out = { class: error.class, message: error.message.toWellFormed() };
  if (error.class === 'SyntaxError') out.isSyntaxError = true;
  if (error.class === 'TypeError') out.isTypeError = true;
  // `at: null` is an invalid date, which JSON cannot write as such.
  const instant = error.at === null ? NaN : error.at * 1000;
  if (error.class === 'TokenExpiredError') out.expiredAt = instant;
  if (error.class === 'NotBeforeError') out.date = instant;
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

let replayed = 0;
let expected = 0;

for (const file of codec.VECTOR_FILES) {
  const vectors = codec.readVectorFile(file);
  expected += vectors.length;
  test(`${file}.json holds at least the vectors it always had`, () => {
    assert.ok(vectors.length >= MINIMUM_COUNTS[file], `${file}.json: only ${vectors.length} vectors`);
  });
  for (const { kind, vector } of vectors) {
    test(`${file}: ${vector.id}`, () => {
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
