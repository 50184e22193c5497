'use strict';
// The synchronous, callback and promise forms give identical results and identical errors
// (same class, message, code and time), and the callback forms match jsonwebtoken's callback
// forms, errors included.

const { test } = require('node:test');
const assert = require('node:assert/strict');

const { qlik, oracle, at, describeError, outcome, segments } = require('./helpers');
const { NOW, SECRET, signCases, verifyCases } = require('./cases');

function describeWithCode(error) {
  return { ...describeError(error), code: error.code, isJsonWebTokenError: error instanceof qlik.JsonWebTokenError };
}

function syncOutcome(fn) {
  try {
    return { result: fn() };
  } catch (error) {
    return { error: describeWithCode(error) };
  }
}

function callbackOutcome(call, describe = describeWithCode) {
  return new Promise((resolve) => {
    try {
      call((error, result) => resolve(error ? { error: describe(error) } : { result }));
    } catch (error) {
      resolve({ thrown: describe(error) });
    }
  });
}

async function promiseOutcome(promise) {
  try {
    return { result: await promise };
  } catch (error) {
    return { error: describeWithCode(error) };
  }
}

/** An outcome as jsonwebtoken describes it: without qlik-jwt's extra `code`. */
function withoutCode(o) {
  if (!('error' in o)) return o;
  const { code, isJsonWebTokenError, ...rest } = o.error;
  return { error: rest };
}

/** Randomized signatures differ run to run: compare what is deterministic. */
function comparable(o, randomized) {
  if (!randomized || !('result' in o)) return o;
  return { result: segments(o.result).slice(0, 2) };
}

test('sign: sync, callback and promise forms agree, and match jsonwebtoken callbacks', async (t) => {
  const cases = signCases();
  let compared = 0;
  let inconsistentInJsonwebtoken = 0;
  for (const c of cases) {
    const sync = at(NOW, () => syncOutcome(() => qlik.sign(...c.args())));
    const [payload, key, options] = c.args();
    const viaCallback = await at(NOW, () =>
      callbackOutcome((done) => (options === undefined ? qlik.sign(payload, key, done) : qlik.sign(payload, key, options, done))));
    const viaPromise = await at(NOW, () => promiseOutcome(qlik.signAsync(...c.args())));
    const [p2, k2, o2] = c.args();
    // jsonwebtoken's callback form never calls back for `none` without a key (its jws stream
    // waits for a key that never comes); qlik-jwt signs, as jsonwebtoken's synchronous form.
    const hangs = o2 && o2.algorithm === 'none' && k2 === undefined;
    const theirs = hangs ? { thrown: { message: 'never calls back' } } : await at(NOW, () =>
      callbackOutcome((done) => (o2 === undefined ? oracle.sign(p2, k2, done) : oracle.sign(p2, k2, o2, done)), describeError));
    const expected = comparable(sync, c.randomized);
    assert.deepEqual(comparable(viaCallback, c.randomized), expected, `${c.name}: callback`);
    assert.deepEqual(comparable(viaPromise, c.randomized), expected, `${c.name}: promise`);
    if ('thrown' in theirs) {
      // jsonwebtoken's callback form hands a number or boolean payload to a jws stream that
      // throws, where its synchronous form signs it; qlik-jwt's forms all sign it.
      if (!hangs) assert.equal(theirs.thrown.message, `Unexpected data type (${typeof payload})`, c.name);
      inconsistentInJsonwebtoken += 1;
    } else {
      assert.deepEqual(comparable(theirs, c.randomized), withoutCode(expected), `${c.name}: jsonwebtoken callback`);
    }
    compared += 1;
  }
  assert.equal(compared, cases.length);
  assert.ok(inconsistentInJsonwebtoken <= 3, `${inconsistentInJsonwebtoken} cases where jsonwebtoken's callback throws`);
  t.diagnostic(`${compared} sign cases in three forms`);
});

test('verify: sync, callback, promise and key-retrieval forms agree, and match jsonwebtoken callbacks', async (t) => {
  // Every 7th case keeps the run short while covering every token, key and option family.
  const cases = verifyCases().filter((_, index) => index % 7 === 0);
  assert.ok(cases.length >= 250);
  for (const c of cases) {
    const [token, key, options] = c.args();
    const sync = at(c.now, () => syncOutcome(() => qlik.verify(token, key, options)));
    const viaCallback = await at(c.now, () => callbackOutcome((done) => qlik.verify(token, key, options, done)));
    const viaPromise = await at(c.now, () => promiseOutcome(qlik.verifyAsync(token, key, options)));
    const viaKeyFunction = await at(c.now, () =>
      callbackOutcome((done) => qlik.verify(token, (header, give) => give(null, key), options, done)));
    const theirs = await at(c.now, () => callbackOutcome((done) => oracle.verify(token, key, options, done), describeError));
    const theirsWithKeyFunction = await at(c.now, () =>
      callbackOutcome((done) => oracle.verify(token, (header, give) => give(null, key), options, done), describeError));
    assert.deepEqual(viaCallback, sync, `${c.name}: callback`);
    assert.deepEqual(viaPromise, sync, `${c.name}: promise`);
    assert.deepEqual(viaKeyFunction, sync, `${c.name}: key-retrieval function`);
    const plain = withoutCode(sync);
    assert.deepEqual(theirs, plain, `${c.name}: jsonwebtoken callback`);
    assert.deepEqual(theirsWithKeyFunction, plain, `${c.name}: jsonwebtoken key-retrieval function`);
  }
  t.diagnostic(`${cases.length} verify cases in five forms`);
});

test('verify with a key-retrieval function: the header is handed over, errors are wrapped as jsonwebtoken wraps them', async () => {
  const token = at(NOW, () => oracle.sign({ a: 1 }, SECRET, { keyid: 'k1' }));
  let seenHeader;
  const ok = await at(NOW, () => callbackOutcome((done) => qlik.verify(token, (header, give) => {
    seenHeader = header;
    give(null, SECRET);
  }, done)));
  assert.deepEqual(seenHeader, { alg: 'HS256', typ: 'JWT', kid: 'k1' });
  assert.deepEqual(ok, { result: { a: 1, iat: Math.floor(NOW / 1000) } });

  const failing = (header, give) => give(new Error('no such kid'));
  const mine = await at(NOW, () => callbackOutcome((done) => qlik.verify(token, failing, done), describeError));
  const theirs = await at(NOW, () => callbackOutcome((done) => oracle.verify(token, failing, done), describeError));
  assert.deepEqual(mine, theirs);
  assert.equal(mine.error.message, 'error in secret or public key callback: no such kid');

  const syncMine = outcome(() => qlik.verify(token, (h, give) => give(null, SECRET)));
  const syncTheirs = outcome(() => oracle.verify(token, (h, give) => give(null, SECRET)));
  assert.deepEqual(syncMine, syncTheirs);
  assert.match(syncMine.error.message, /must be called asynchronous/);
});

test('errors carry the core code, hidden from JSON and deep equality as jsonwebtoken has none', () => {
  const token = at(NOW, () => oracle.sign({ a: 1 }, SECRET, { expiresIn: 1 }));
  const error = at(NOW + 5000, () => {
    try {
      qlik.verify(token, SECRET);
    } catch (caught) {
      return caught;
    }
    return undefined;
  });
  assert.equal(error.code, 'ERR_JWT_EXPIRED');
  assert.equal(error.name, 'TokenExpiredError');
  assert.ok(error instanceof qlik.TokenExpiredError && error instanceof Error);
  const theirs = at(NOW + 5000, () => {
    try {
      oracle.verify(token, SECRET);
    } catch (caught) {
      return caught;
    }
    return undefined;
  });
  assert.equal(JSON.stringify(error), JSON.stringify(theirs));
  assert.deepEqual(Object.keys(error), Object.keys(theirs));
});
