'use strict';
// The key-form table (tests/vectors/key-forms.js): every key form OpenSSL writes, as a string,
// a Buffer and a KeyObject, to `sign` with every algorithm and to `verify` with a token of
// every algorithm. Each row runs through the real jsonwebtoken, whose outcome must still be the
// one recorded in key-forms.json, and through qlik-jwt, whose outcome must be the same: the
// error class and message, or the token (ES*/PS*: its header and payload, and a signature that
// verifies), or the payload.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const { ROOT, KEYS_DIR, qlik, oracle } = require('./helpers');

const table = require(path.join(ROOT, 'tests', 'vectors', 'key-forms.js'));
const recorded = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests', 'vectors', 'key-forms.json'), 'utf8'));

const rowKey = (row) => `${row.key}/${row.as}/${row.alg}/${row.token || ''}`;

test('the record holds every row of the table, and its key files are unchanged', () => {
  assert.equal(recorded.jsonwebtoken, '9.0.3');
  assert.equal(recorded.sign.length + recorded.verify.length, recorded.count);
  assert.deepEqual(Object.keys(recorded.keys_sha256), table.keyFiles(), 'key files: regenerate key-forms.json');
  for (const [name, digest] of Object.entries(recorded.keys_sha256)) {
    const actual = crypto.createHash('sha256').update(fs.readFileSync(path.join(KEYS_DIR, name))).digest('hex');
    assert.equal(actual, digest, `${name} changed since key-forms.json was made: regenerate it`);
  }
  assert.deepEqual(recorded.sign.map(rowKey), table.signRows().map(rowKey));
  assert.deepEqual(recorded.verify.map(rowKey), table.verifyRows(recorded.tokens).map(rowKey));
  // The table reaches every outcome: tokens, payloads, errors and keys Node cannot read.
  const kinds = new Set([...recorded.sign, ...recorded.verify].map((row) => Object.keys(row.expect)[0]));
  assert.deepEqual([...kinds].sort(), ['error', 'no_key_object', 'result', 'token']);
});

const algOf = (token) => JSON.parse(Buffer.from(token.split('.')[0], 'base64url')).alg;

/** Throws unless `token` verifies with the public key file under both libraries. */
function assertVerifies(token, publicFile) {
  const key = fs.readFileSync(path.join(KEYS_DIR, publicFile), 'utf8');
  const options = { algorithms: [algOf(token)], allowInvalidAsymmetricKeyTypes: true };
  oracle.verify(token, key, options);
  qlik.verify(token, key, options);
}

/** The difference between an outcome and the recorded one, or null. */
function difference(row, actual) {
  const expect = row.expect;
  try {
    if (expect.token && row.randomized && actual.token) {
      assert.equal(table.headerAndPayload(actual.token), table.headerAndPayload(expect.token));
      assertVerifies(actual.token, row.verify_key);
      assertVerifies(expect.token, row.verify_key);
    } else {
      assert.deepEqual(actual, expect);
    }
    return null;
  } catch (error) {
    return `${row.id}\n    expected ${JSON.stringify(expect)}\n    got      ${JSON.stringify(actual)}${
      error.code === 'ERR_ASSERTION' ? '' : ` (${error.message})`}`;
  }
}

function replay(rows, run) {
  const failures = [];
  for (const row of rows) {
    for (const [library, jwt] of [['jsonwebtoken', oracle], ['qlik-jwt', qlik]]) {
      const diff = difference(row, run(jwt, row));
      if (diff) failures.push(`${library}: ${diff}`);
    }
  }
  assert.equal(failures.length, 0, `${failures.length} rows differ:\n${failures.slice(0, 40).join('\n')}`);
}

const byGroup = (rows) => Object.groupBy
  ? Object.groupBy(rows, (row) => table.groupOf(row.key))
  : rows.reduce((acc, row) => {
    (acc[table.groupOf(row.key)] ||= []).push(row);
    return acc;
  }, {});

for (const [group, rows] of Object.entries(byGroup(recorded.sign))) {
  test(`sign with every ${group} key form (${rows.length} rows)`, () => {
    replay(rows, (jwt, row) => table.runSign(jwt, row));
  });
}

for (const [group, rows] of Object.entries(byGroup(recorded.verify))) {
  test(`verify with every ${group} key form (${rows.length} rows)`, () => {
    replay(rows, (jwt, row) => table.runVerify(jwt, row, recorded.tokens[row.token]));
  });
}
