'use strict';
// The vector file format <-> JavaScript values. Shared by generate.js and by any Node test
// that replays the vectors. The format is documented in README.md beside this file.

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const KEYS_DIR = path.join(__dirname, '..', 'keys');

// Numbers that JSON cannot carry (or carries with a different meaning).
function specialNumber(n) {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  if (Object.is(n, -0)) return '-0';
  return null;
}

function isPlainObject(v) {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

// A JavaScript value -> its JSON form in a vector file.
function encodeValue(v) {
  if (v === undefined) return { $undefined: true };
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') {
    const special = specialNumber(v);
    return special === null ? v : { $number: special };
  }
  if (Buffer.isBuffer(v)) return { $bytes: v.toString('base64') };
  if (v instanceof RegExp) return { $regexp: v.source, flags: v.flags };
  if (Array.isArray(v)) {
    const out = [];
    for (let i = 0; i < v.length; i++) {
      if (!(i in v)) throw new Error('arrays with holes are not representable');
      out.push(encodeValue(v[i]));
    }
    return out;
  }
  if (isPlainObject(v)) {
    const out = {};
    for (const k of Object.keys(v)) {
      if (k.startsWith('$')) throw new Error(`object key ${k} is reserved by the vector format`);
      out[k] = encodeValue(v[k]);
    }
    return out;
  }
  throw new Error(`value of type ${typeof v} is not representable in a vector`);
}

// A JSON form from a vector file -> the JavaScript value.
function decodeValue(j) {
  if (j === null || typeof j !== 'object') return j;
  if (Array.isArray(j)) return j.map(decodeValue);
  if ('$undefined' in j) return undefined;
  if ('$number' in j) return Number(j.$number);
  if ('$bytes' in j) return Buffer.from(j.$bytes, 'base64');
  if ('$regexp' in j) return new RegExp(j.$regexp, j.flags);
  const out = {};
  for (const k of Object.keys(j)) out[k] = decodeValue(j[k]);
  return out;
}

// A key description from a vector file -> the key argument handed to jsonwebtoken.
function loadKey(k, keysDir = KEYS_DIR) {
  const read = (file) => fs.readFileSync(path.join(keysDir, file));
  switch (k.kind) {
    case 'value':
      return decodeValue(k.value);
    case 'text':
      return read(k.file).toString('utf8');
    case 'buffer':
      return read(k.file);
    case 'passphrase':
      return { key: read(k.file).toString('utf8'), passphrase: k.passphrase };
    case 'jwk':
      return { key: JSON.parse(read(k.file).toString('utf8')), format: 'jwk' };
    default:
      throw new Error(`unknown key kind ${k.kind}`);
  }
}

// An error thrown by jsonwebtoken -> its JSON form in a vector file.
function encodeError(err) {
  const out = { class: err.name, message: err.message };
  if (err.name === 'TokenExpiredError') out.at = err.expiredAt.getTime() / 1000;
  if (err.name === 'NotBeforeError') out.at = err.date.getTime() / 1000;
  return out;
}

// The key files the vectors were made with, so a regenerated key is noticed at once.
function keyDigests(vectors, keysDir = KEYS_DIR) {
  const files = new Set();
  for (const v of vectors) {
    for (const k of [v.key, v.verify_key]) if (k && k.file) files.add(k.file);
  }
  const out = {};
  for (const f of [...files].sort()) {
    out[f] = crypto.createHash('sha256').update(fs.readFileSync(path.join(keysDir, f))).digest('hex');
  }
  return out;
}

// A vector file's document, as every generator writes it (README.md, "File layout").
function vectorFile(about, vectors) {
  const version = require('jsonwebtoken/package.json').version;
  return { about, jsonwebtoken: version, count: vectors.length, keys_sha256: keyDigests(vectors), vectors };
}

function writeVectorFile(file, about, vectors) {
  fs.writeFileSync(file, JSON.stringify(vectorFile(about, vectors), null, 1) + '\n');
}

// The files of jsonwebtoken's sign/verify/decode outcomes, in replay order. Each vector's kind
// is the first part of its id.
const VECTOR_FILES = ['sign', 'verify', 'decode', 'edge', 'random'];

// Reads one vector file (a name of VECTOR_FILES, or a path) and checks what the format lets a
// reader check: the recorded count and the digests of the key files. Throws on a mismatch.
function readVectorFile(nameOrPath, keysDir = KEYS_DIR) {
  const file = nameOrPath.includes(path.sep) ? nameOrPath : path.join(__dirname, `${nameOrPath}.json`);
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (doc.vectors.length !== doc.count) throw new Error(`${file}: ${doc.vectors.length} vectors, count says ${doc.count}`);
  for (const [name, digest] of Object.entries(doc.keys_sha256)) {
    const actual = crypto.createHash('sha256').update(fs.readFileSync(path.join(keysDir, name))).digest('hex');
    if (actual !== digest) throw new Error(`tests/keys/${name} changed since ${path.basename(file)} was made: regenerate it`);
  }
  return doc.vectors.map((vector) => ({ kind: vector.id.split('/')[0], vector }));
}

// Any other file of this directory (timespan.json, qlik-signer.json), parsed.
function readFile(name) {
  return JSON.parse(fs.readFileSync(path.join(__dirname, name), 'utf8'));
}

// Runs `fn` with `Date.now()` returning `nowMs`: how every generator and replayer fakes the clock.
function atTime(nowMs, fn) {
  const realNow = Date.now;
  Date.now = () => nowMs;
  try {
    return fn();
  } finally {
    Date.now = realNow;
  }
}

// What `fn` returns, or the error it throws in the vector format.
function recordOutcome(fn) {
  try {
    return { result: fn() };
  } catch (err) {
    return { error: encodeError(err) };
  }
}

module.exports = {
  KEYS_DIR, VECTOR_FILES, readFile, encodeValue, decodeValue, loadKey, encodeError, keyDigests, vectorFile,
  writeVectorFile, readVectorFile, atTime, recordOutcome,
};
