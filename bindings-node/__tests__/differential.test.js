'use strict';
// Differential tests: the same generated inputs through jsonwebtoken 9.0.3 (the oracle) and
// qlik-jwt at the same fixed clock. Same token bytes (RS*/HS*; ES*/PS* verified both ways) or
// the same error class, message and time; verify and decode return the same values.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');

const { qlik, oracle, at, outcome, segments } = require('./helpers');
const { NOW, signCases, verifyCases, decodeCases } = require('./cases');

/** The public key that verifies what this private key argument signed. */
function publicKeyOf(privateKey) {
  if (privateKey instanceof crypto.KeyObject) return crypto.createPublicKey(privateKey);
  return crypto.createPublicKey(privateKey);
}

function compareTokens(name, args, mine, theirs, randomized) {
  if (!randomized) {
    assert.equal(mine, theirs, name);
    return;
  }
  assert.deepEqual(segments(mine).slice(0, 2), segments(theirs).slice(0, 2), `${name}: header and payload`);
  const publicKey = publicKeyOf(args[1]);
  const alg = JSON.parse(Buffer.from(segments(mine)[0], 'base64url')).alg;
  const options = { algorithms: [alg], ignoreExpiration: true, ignoreNotBefore: true };
  assert.ok(oracle.verify(mine, publicKey, options), `${name}: jsonwebtoken verifies qlik-jwt's token`);
  assert.ok(qlik.verify(theirs, publicKey, options), `${name}: qlik-jwt verifies jsonwebtoken's token`);
}

/** Runs every case, collecting mismatches so that one failure shows them all. */
function runAll(cases, compare) {
  const mismatches = [];
  for (const c of cases) {
    try {
      compare(c);
    } catch (error) {
      mismatches.push(`${c.name}: ${error.message.split('\n').slice(0, 12).join('\n')}`);
    }
  }
  assert.deepEqual(mismatches, [], `${mismatches.length} of ${cases.length} cases differ`);
  return cases.length;
}

test('sign: same tokens or errors as jsonwebtoken over generated cases', (t) => {
  const cases = signCases();
  assert.ok(cases.length >= 240, `only ${cases.length} sign cases were generated`);
  const ran = runAll(cases, (c) => {
    const theirArgs = c.args();
    const myArgs = c.args();
    const theirs = at(NOW, () => outcome(() => oracle.sign(...theirArgs)));
    const mine = at(NOW, () => outcome(() => qlik.sign(...myArgs)));
    if ('error' in theirs || 'error' in mine) {
      assert.deepEqual(mine, theirs);
    } else {
      compareTokens(c.name, myArgs, mine.result, theirs.result, c.randomized);
    }
    // mutatePayload and anything else that touches the caller's payload object.
    assert.equal(JSON.stringify(myArgs[0]), JSON.stringify(theirArgs[0]), 'payload object after sign');
  });
  assert.equal(ran, cases.length);
  t.diagnostic(`${ran} sign cases`);
});

test('verify: same payloads or errors as jsonwebtoken over generated cases', (t) => {
  const cases = verifyCases();
  assert.ok(cases.length >= 1500, `only ${cases.length} verify cases were generated`);
  t.diagnostic(`${cases.length} verify cases`);
  runAll(cases, (c) => {
    const theirs = at(c.now, () => outcome(() => oracle.verify(...c.args())));
    const mine = at(c.now, () => outcome(() => qlik.verify(...c.args())));
    assert.deepEqual(mine, theirs);
  });
});

test('decode: same results as jsonwebtoken over generated cases', (t) => {
  const cases = decodeCases();
  assert.ok(cases.length >= 80, `only ${cases.length} decode cases were generated`);
  t.diagnostic(`${cases.length} decode cases`);
  runAll(cases, (c) => {
    assert.deepEqual(outcome(() => qlik.decode(...c.args())), outcome(() => oracle.decode(...c.args())));
  });
});

test('the clock is Date.now() at each call: node:test mock timers control it', (t) => {
  t.mock.timers.enable({ apis: ['Date'], now: NOW });
  const token = qlik.sign({ a: 1 }, 'secret', { expiresIn: 10 });
  assert.equal(token, oracle.sign({ a: 1 }, 'secret', { expiresIn: 10 }));
  assert.equal(qlik.decode(token).iat, Math.floor(NOW / 1000));
  t.mock.timers.tick(9000);
  assert.deepEqual(qlik.verify(token, 'secret'), oracle.verify(token, 'secret'));
  t.mock.timers.tick(1000);
  assert.throws(() => qlik.verify(token, 'secret'), (error) => {
    assert.ok(error instanceof qlik.TokenExpiredError);
    assert.ok(error instanceof qlik.JsonWebTokenError);
    assert.equal(error.message, 'jwt expired');
    assert.equal(error.expiredAt.getTime(), (Math.floor(NOW / 1000) + 10) * 1000);
    return true;
  });
});

test('cyclic and absurdly deep payloads fail as errors, never crash the process', () => {
  const cyclic = { x: 1 };
  cyclic.self = cyclic;
  const header = {};
  header.me = header;
  for (const args of [[{ cyclic }, 'secret'], [{ a: 1 }, 'secret', { header }]]) {
    const mine = outcome(() => qlik.sign(...args));
    const theirs = outcome(() => oracle.sign(...args));
    assert.deepEqual(mine, theirs);
    assert.equal(theirs.error.class, 'TypeError');
    assert.match(theirs.error.message, /circular/);
  }
  let deep = [];
  const root = deep;
  for (let i = 0; i < 100000; i++) {
    const next = [];
    deep.push(next);
    deep = next;
  }
  assert.throws(() => qlik.sign({ root }, 'secret'), /Maximum call stack size exceeded/);
  assert.throws(() => oracle.sign({ root }, 'secret'), /Maximum call stack size exceeded/);
});
