'use strict';
// Key material a message must never contain: fragments of every test key's PEM body, of its
// DER in base64, base64url and hex, and the secrets the tests use; plus any long base64 run.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { KEYS_DIR } = require('./helpers');

const FRAGMENT = 24;

function fragments(text, into) {
  for (let start = 0; start + FRAGMENT <= text.length; start += FRAGMENT / 2) {
    into.add(text.slice(start, start + FRAGMENT));
  }
}

function derOf(file, bytes) {
  if (file.endsWith('.der')) return bytes;
  const text = bytes.toString('latin1');
  const body = text.match(/-----BEGIN [^-]+-----([\s\S]*?)-----END/);
  if (!body) return undefined;
  return Buffer.from(body[1].split('\n').filter((line) => !line.includes(':')).join(''), 'base64');
}

let cached;

/** Every fragment of the repository's test keys that would betray one. */
function keyFragments() {
  if (cached) return cached;
  cached = new Set();
  for (const file of fs.readdirSync(KEYS_DIR)) {
    if (!/\.(pem|der|cer)$/.test(file)) continue;
    const der = derOf(file, fs.readFileSync(path.join(KEYS_DIR, file)));
    if (!der || der.length === 0) continue;
    fragments(der.toString('base64'), cached);
    fragments(der.toString('base64url'), cached);
    fragments(der.toString('hex'), cached);
  }
  return cached;
}

/** Fails when any message holds a key fragment, one of `secrets`, or a long base64 run. */
function assertNoKeyMaterial(messages, secrets) {
  const needles = keyFragments();
  assert.ok(needles.size > 1000, 'the key set was read');
  for (const message of messages) {
    const text = String(message);
    for (const secret of secrets) assert.ok(!text.includes(secret), `a secret in: ${text}`);
    assert.doesNotMatch(text, /[A-Za-z0-9+/_-]{48,}/, 'a long base64 run');
    for (let start = 0; start + FRAGMENT <= text.length; start += 1) {
      const window = text.slice(start, start + FRAGMENT);
      assert.ok(!needles.has(window), `key material in: ${text}`);
    }
  }
}

module.exports = { assertNoKeyMaterial };
