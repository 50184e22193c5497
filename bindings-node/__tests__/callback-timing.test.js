'use strict';
// When the callback runs, against jsonwebtoken: a validation failure reaches the callback
// before sign/verify returns (jsonwebtoken calls it synchronously), and so does a whole
// verification with a secret, while an RSA signature or verification is made on the libuv
// pool and delivered later.

const { test } = require('node:test');
const assert = require('node:assert/strict');

const { qlik, oracle, keyText } = require('./helpers');

const PRIVATE_KEY = keyText('rsa2048-private-pkcs8.pem');
const PUBLIC_KEY = keyText('rsa2048-public-spki.pem');

/** Calls `run(callback)` and tells whether the callback ran before `run` returned. */
function timing(run) {
  return new Promise((resolve) => {
    let returned = false;
    run((error) => resolve({ beforeReturn: !returned, error: error && error.message }));
    returned = true;
  });
}

const signCases = [
  ['a timespan that is not one', [{ a: 1 }, 'secret', { expiresIn: 'nonsense' }]],
  ['an unknown option', [{ a: 1 }, 'secret', { colour: 'blue' }]],
  ['a payload that is not a plain object', [[1, 2], 'secret', {}]],
  ['a missing key', [{ a: 1 }, '', {}]],
  ['a symmetric key for RS256', [{ a: 1 }, 'secret', { algorithm: 'RS256' }]],
  ['a claim set twice', [{ exp: 1 }, 'secret', { expiresIn: 60 }]],
];

for (const [name, args] of signCases) {
  test(`sign with ${name}: the callback gets the error before sign returns, as jsonwebtoken`, async () => {
    const mine = await timing((cb) => qlik.sign(...args, cb));
    const theirs = await timing((cb) => oracle.sign(...args, cb));
    assert.deepEqual(mine, theirs);
    assert.equal(mine.beforeReturn, true);
    assert.ok(mine.error);
  });
}

test('sign that succeeds calls back after returning (the signature is made on the pool)', async () => {
  const mine = await timing((cb) => qlik.sign({ a: 1 }, PRIVATE_KEY, { algorithm: 'RS256' }, cb));
  assert.deepEqual(mine, { beforeReturn: false, error: null });
});

const verifyCases = [
  ['no token', ['', PUBLIC_KEY, {}]],
  ['a malformed token', ['a.b', PUBLIC_KEY, {}]],
  ['a nonce that is not a string', ['a.b.c', PUBLIC_KEY, { nonce: 5 }]],
  ['a clockTimestamp that is not a number', ['a.b.c', PUBLIC_KEY, { clockTimestamp: 'x' }]],
];

for (const [name, args] of verifyCases) {
  test(`verify with ${name}: the callback gets the error before verify returns, as jsonwebtoken`, async () => {
    const mine = await timing((cb) => qlik.verify(...args, cb));
    const theirs = await timing((cb) => oracle.verify(...args, cb));
    assert.deepEqual(mine, theirs);
    assert.equal(mine.beforeReturn, true);
  });
}

test('verify with a key-retrieval function reports a malformed token before returning', async () => {
  const getKey = (header, cb) => cb(null, PUBLIC_KEY);
  const mine = await timing((cb) => qlik.verify('a.b', getKey, {}, cb));
  const theirs = await timing((cb) => oracle.verify('a.b', getKey, {}, cb));
  assert.deepEqual(mine, theirs);
});

/** Calls `run(callback)`: when the callback ran, what it got, and what `run` returned. */
function callbackAndReturn(run) {
  let returned = false;
  let seen;
  const result = run((error, payload) => {
    seen = { beforeReturn: !returned, error: error ? `${error.name}: ${error.message}` : null, payload };
    return 'from the callback';
  });
  returned = true;
  return { ...seen, result };
}

const SECRET = 'express-session-secret';
const NOW = Math.floor(Date.now() / 1000);
const secretToken = oracle.sign({ sub: 'u', iat: NOW }, SECRET);
const expiredToken = oracle.sign({ sub: 'u', iat: NOW - 100, exp: NOW - 10 }, SECRET);

const secretVerifyCases = [
  ['a valid token', [secretToken, SECRET]],
  ['the wrong secret', [secretToken, 'another secret']],
  ['an expired token', [expiredToken, SECRET]],
  ['a valid token and complete: true', [secretToken, SECRET, { complete: true }]],
  ['a key function that hands over the secret', [secretToken, (header, cb) => cb(null, SECRET)]],
  ['a key function that reports an error', [secretToken, (header, cb) => {
    cb(new Error('no key for this kid'));
    return 'from the key function';
  }]],
];

for (const [name, args] of secretVerifyCases) {
  test(`verify with a secret and ${name}: called back before verify returns, verify returns what jsonwebtoken does`, () => {
    const mine = callbackAndReturn((cb) => qlik.verify(...args, cb));
    const theirs = callbackAndReturn((cb) => oracle.verify(...args, cb));
    assert.deepEqual(mine, theirs);
    assert.equal(mine.beforeReturn, true);
  });
}

test('verify with a secret: what the callback throws comes out of verify, as in jsonwebtoken', () => {
  for (const lib of [qlik, oracle]) {
    assert.throws(
      () => lib.verify(secretToken, SECRET, () => {
        throw new RangeError('thrown by the callback');
      }),
      { name: 'RangeError', message: 'thrown by the callback' },
    );
  }
});

test('verify with an RSA public key calls back after returning (the verification is made on the pool)', async () => {
  const token = qlik.sign({ a: 1 }, PRIVATE_KEY, { algorithm: 'RS256' });
  const mine = await timing((cb) => qlik.verify(token, PUBLIC_KEY, cb));
  assert.deepEqual(mine, { beforeReturn: false, error: null });
});

test('sign with a secret still calls back after returning, as jsonwebtoken', async () => {
  const mine = await timing((cb) => qlik.sign({ a: 1 }, SECRET, cb));
  const theirs = await timing((cb) => oracle.sign({ a: 1 }, SECRET, cb));
  assert.deepEqual(mine, theirs);
  assert.equal(mine.beforeReturn, false);
});

test('the callback runs once for a validation failure', async () => {
  let calls = 0;
  qlik.sign({ a: 1 }, 'secret', { expiresIn: 'nonsense' }, () => {
    calls += 1;
  });
  assert.equal(calls, 1);
  // A second call could only come later, from the pool or a later turn of the event loop: let
  // a signature queued after this call come back from the pool, then one more turn pass.
  await qlik.signAsync({ a: 1 }, PRIVATE_KEY, { algorithm: 'RS256' });
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(calls, 1);
});
