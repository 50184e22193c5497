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

/** Runs `fn` with `Date.now()` returning `nowMs`, as fake timers would. */
function at(nowMs, fn) {
  const realNow = Date.now;
  Date.now = () => nowMs;
  try {
    return fn();
  } finally {
    Date.now = realNow;
  }
}

/**
 * An error as jsonwebtoken users observe it. `SyntaxError`/`TypeError` that escape jsonwebtoken
 * unwrapped are plain `Error`s in qlik-jwt (the core has no such classes), so they are
 * described by their message with class `Error`.
 */
function describeError(error) {
  const name = error.name === 'SyntaxError' || error.name === 'TypeError' ? 'Error' : error.name;
  const out = { class: name, message: error.message };
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
