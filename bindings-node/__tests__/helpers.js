'use strict';
// Shared by the Node test files: the package under test, the oracle, keys, and one way to
// describe an outcome so that qlik-jwt and jsonwebtoken can be compared with deepStrictEqual.

const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');
const KEYS_DIR = path.join(ROOT, 'tests', 'keys');

const qlik = require('qlik-jwt');
const oracle = require('jsonwebtoken');

function key(file) {
  return fs.readFileSync(path.join(KEYS_DIR, file));
}

function keyText(file) {
  return key(file).toString('utf8');
}

/** Runs `fn` with `Date.now()` returning `nowMs`, as the vector generators do. */
const { atTime: at } = require(path.join(ROOT, 'tests', 'vectors', 'codec.js'));

/**
 * An error as jsonwebtoken users observe it: its class (`name`, the `SyntaxError`/`TypeError`
 * that escape jsonwebtoken included, and whether it is an instance of that built-in), message
 * and instants.
 */
function describeError(error) {
  const out = { class: error.name, message: error.message };
  if (error.name === 'SyntaxError') out.isSyntaxError = error instanceof SyntaxError;
  if (error.name === 'TypeError') out.isTypeError = error instanceof TypeError;
  if (error.expiredAt !== undefined) out.expiredAt = error.expiredAt.getTime();
  if (error.date !== undefined) out.date = error.date.getTime();
  return out;
}

/** `{ result }` or `{ error }` of a synchronous call. */
function outcome(fn) {
  try {
    return { result: fn() };
  } catch (error) {
    return { error: describeError(error) };
  }
}

/** The segments of a compact token. */
function segments(token) {
  return token.split('.');
}

module.exports = { ROOT, KEYS_DIR, qlik, oracle, key, keyText, at, describeError, outcome, segments };
