'use strict';
// No panic crosses the FFI boundary: a deliberate panic inside the core (the test hook
// qlik_jwt::testing::panic_now, exported by the addon as _panicNow/_panicNowAsync and not by the
// package) comes back as an ERR_INTERNAL failure on the JavaScript thread and on the libuv
// pool, through the same wrapper as every entry point, and the process carries on.

const { test } = require('node:test');
const assert = require('node:assert/strict');

const native = require('../lib/native');
const { toError } = require('../lib/errors');
const { qlik } = require('./helpers');

function assertInternal(failure) {
  assert.ok(failure instanceof native.Failure, `a Failure, not ${failure}`);
  assert.equal(failure.code, 'ERR_INTERNAL');
  assert.equal(failure.className, 'Error');
  assert.match(failure.message, /deliberate panic/);
  const error = toError(failure);
  assert.ok(error instanceof Error);
  assert.equal(error.code, 'ERR_INTERNAL');
}

test('the test hook is not part of the package API', () => {
  assert.equal(qlik._panicNow, undefined);
  assert.equal(typeof native._panicNow, 'function');
});

test('a core panic on the JavaScript thread becomes ERR_INTERNAL, repeatedly', () => {
  for (let i = 0; i < 50; i += 1) assertInternal(native._panicNow());
  assert.equal(qlik.verify(qlik.sign({ n: 1 }, 'secret'), 'secret').n, 1);
});

test('a core panic on the libuv pool becomes ERR_INTERNAL, and the pool keeps working', async () => {
  const failures = await Promise.all(Array.from({ length: 16 }, () => native._panicNowAsync()));
  failures.forEach(assertInternal);
  const token = await qlik.signAsync({ n: 2 }, 'secret');
  assert.equal((await qlik.verifyAsync(token, 'secret')).n, 2);
});
