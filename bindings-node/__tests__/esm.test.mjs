// `import jwt, { sign, verify, decode } from 'qlik-jwt'` and `require('qlik-jwt')` give the same
// functions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

import jwt, { sign, verify, decode, signAsync, verifyAsync, createQlikSigner, explainQlikToken, JsonWebTokenError, NotBeforeError, TokenExpiredError } from 'qlik-jwt';

const require = createRequire(import.meta.url);

test('ES module and CommonJS entries export the same functions', () => {
  const cjs = require('qlik-jwt');
  for (const [name, value] of Object.entries({ sign, verify, decode, signAsync, verifyAsync, createQlikSigner, explainQlikToken, JsonWebTokenError, NotBeforeError, TokenExpiredError })) {
    assert.equal(typeof value, 'function', name);
    assert.equal(jwt[name], value, `default export .${name}`);
    assert.equal(cjs[name], value, `require('qlik-jwt').${name}`);
  }
  const token = sign({ a: 1 }, 'secret');
  assert.equal(verify(token, 'secret').a, 1);
  assert.equal(decode(token).a, 1);
});
