'use strict';
// The forms results take between the addon and index.js: a decoded payload comes back as JSON
// text for JSON.parse (or boxed when JSON cannot carry it exactly), a sign result as the bare
// token unless mutatePayload needs the claims, and a KeyObject is exported once. Each must give
// exactly what jsonwebtoken 9.0.3 gives: same values, same key order, same prototypes, -0 kept.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');

const { qlik, oracle, at, outcome, keyText } = require('./helpers');

const SECRET = 'result-forms-secret';
const NOW = 1_700_000_000_000;

/** An HS256 token over exactly these payload bytes (jsonwebtoken would re-serialize them). */
function tokenOver(payloadJson, header = '{"alg":"HS256","typ":"JWT"}') {
  const input = `${Buffer.from(header).toString('base64url')}.${Buffer.from(payloadJson).toString('base64url')}`;
  const signature = crypto.createHmac('sha256', SECRET).update(input).digest('base64url');
  return `${input}.${signature}`;
}

/** Every own key in order, prototypes, and -0, which deepStrictEqual alone does not show. */
function shape(value) {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : value;
  if (value === null || typeof value !== 'object') return value;
  const prototype = Object.getPrototypeOf(value);
  const kind = Array.isArray(value) ? 'array' : prototype === Object.prototype ? 'object' : 'other';
  return { kind, entries: Reflect.ownKeys(value).map((key) => [key, shape(value[key])]) };
}

function assertSame(mine, theirs, name) {
  assert.deepStrictEqual(mine, theirs, name);
  assert.deepStrictEqual(shape(mine), shape(theirs), `${name}: shape`);
}

const PAYLOADS = {
  'numbers': '{"z":0,"nz":-0,"nzf":-0.0,"big":1e21,"tiny":5e-324,"f":0.1,"i":9007199254740993,"e":-1.5e-7,"max":1.7976931348623157e308,"x":123456789012345680000}',
  'negative zero nested': '{"a":[-0,0,{"b":-0}]}',
  '__proto__ claim': '{"__proto__":{"admin":true},"a":1}',
  'nested __proto__': '{"x":{"__proto__":[1],"y":2}}',
  'index-like keys': '{"b":1,"2":2,"a":3,"1":4,"4294967295":5,"4294967294":6,"01":7,"-1":8,"1.5":9}',
  'duplicate keys': '{"a":1,"b":2,"a":3}',
  'duplicate object key': '{"a":{"x":1},"b":0,"a":{"y":2}}',
  'nesting': '{"n":[[1,[2,{"k":[]}]],{}],"nul":null,"t":true,"f":false,"s":""}',
  'strings': '{"s":"line\\nbreak\\t\\"q\\" \\\\ \\u0001 \\u001f \\u2028 \\u2029 é 😀 \\ud83d\\ude00 \\/"}',
  'unicode keys': '{"é":1,"😀":2,"\\u0000":3,"":4}',
  'deep': `{"d":${'['.repeat(200)}1${']'.repeat(200)}}`,
  'array payload': '[1,"a",{"b":null}]',
  'string payload': '"just text"',
  'number payload': '-0',
  'not JSON': 'not json at all',
  'claims': '{"sub":"u","iat":1700000000,"exp":1e300,"nbf":-0,"aud":["a","b"],"iss":"i"}',
};

test('verify and decode build the same payload objects as jsonwebtoken', () => {
  for (const [name, json] of Object.entries(PAYLOADS)) {
    const token = tokenOver(json);
    for (const [form, options] of [
      ['verify', { algorithms: ['HS256'] }],
      ['verify complete', { algorithms: ['HS256'], complete: true }],
    ]) {
      const mine = at(NOW, () => outcome(() => qlik.verify(token, SECRET, options)));
      const theirs = at(NOW, () => outcome(() => oracle.verify(token, SECRET, options)));
      assertSame(mine, theirs, `${name} (${form})`);
    }
    for (const [form, options] of [
      ['decode', undefined],
      ['decode complete', { complete: true }],
      ['decode json', { json: true }],
    ]) {
      assertSame(outcome(() => qlik.decode(token, options)), outcome(() => oracle.decode(token, options)), `${name} (${form})`);
    }
  }
});

test('a decoded header with -0 and __proto__ comes back as jsonwebtoken gives it', () => {
  const token = tokenOver('{"a":1}', '{"alg":"HS256","typ":"JWT","n":-0,"__proto__":{"p":1},"1":[]}');
  const options = { algorithms: ['HS256'], complete: true };
  assertSame(
    at(NOW, () => outcome(() => qlik.verify(token, SECRET, options))),
    at(NOW, () => outcome(() => oracle.verify(token, SECRET, options))),
    'verify complete',
  );
  assertSame(qlik.decode(token, { complete: true }), oracle.decode(token, { complete: true }), 'decode complete');
});

function callbackVerify(lib, token, key, options) {
  return new Promise((resolve) => {
    lib.verify(token, key, options, (error, payload) => resolve(error ? { error: error.message } : { result: payload }));
  });
}

test('the callback, promise and key-function forms return the same objects as jsonwebtoken', async () => {
  for (const [name, json] of Object.entries(PAYLOADS)) {
    const token = tokenOver(json);
    const options = { algorithms: ['HS256'], ignoreExpiration: true, ignoreNotBefore: true };
    const theirs = await callbackVerify(oracle, token, SECRET, options);
    assertSame(await callbackVerify(qlik, token, SECRET, options), theirs, `${name} (callback)`);
    const getKey = (header, done) => done(null, SECRET);
    assertSame(await callbackVerify(qlik, token, getKey, options), await callbackVerify(oracle, token, getKey, options), `${name} (key function)`);
    if (theirs.result !== undefined) {
      assertSame(await qlik.verifyAsync(token, SECRET, options), theirs.result, `${name} (promise)`);
    }
  }
});

test('sign in every form returns the token string, and mutatePayload still changes the payload', async () => {
  const options = { algorithm: 'HS256', expiresIn: 60, issuer: 'i' };
  const expected = at(NOW, () => oracle.sign({ sub: 'u' }, SECRET, options));
  assert.equal(at(NOW, () => qlik.sign({ sub: 'u' }, SECRET, options)), expected);
  const realNow = Date.now;
  Date.now = () => NOW;
  try {
    const viaCallback = await new Promise((resolve, reject) => {
      qlik.sign({ sub: 'u' }, SECRET, options, (error, token) => (error ? reject(error) : resolve(token)));
    });
    assert.equal(viaCallback, expected);
    assert.equal(await qlik.signAsync({ sub: 'u' }, SECRET, options), expected);
    const mine = { sub: 'u' };
    const theirs = { sub: 'u' };
    const mutating = { ...options, mutatePayload: true };
    const token = await new Promise((resolve, reject) => {
      qlik.sign(mine, SECRET, mutating, (error, t) => (error ? reject(error) : resolve(t)));
    });
    assert.equal(token, oracle.sign(theirs, SECRET, mutating));
    assert.deepStrictEqual(shape(mine), shape(theirs));
  } finally {
    Date.now = realNow;
  }
});

test('a KeyObject used again and again, and several KeyObjects, each sign and verify as their own key', () => {
  const secretA = crypto.createSecretKey(Buffer.from('secret-a'));
  const secretB = crypto.createSecretKey(Buffer.from('secret-b'));
  const rsaPrivate = crypto.createPrivateKey(keyText('rsa2048-private-pkcs8.pem'));
  const rsaPublic = crypto.createPublicKey(rsaPrivate);
  const ecPrivate = crypto.createPrivateKey(keyText('ec256-private-pkcs8.pem'));
  const ecPublic = crypto.createPublicKey(ecPrivate);
  const cases = [
    [secretA, secretA, 'HS256'],
    [secretB, secretB, 'HS384'],
    [rsaPrivate, rsaPublic, 'RS256'],
    [ecPrivate, ecPublic, 'ES256'],
  ];
  for (let round = 0; round < 3; round++) {
    for (const [signWith, verifyWith, algorithm] of cases) {
      const token = at(NOW, () => qlik.sign({ round }, signWith, { algorithm }));
      if (algorithm.startsWith('HS') || algorithm.startsWith('RS')) {
        assert.equal(token, at(NOW, () => oracle.sign({ round }, signWith, { algorithm })), `${algorithm} round ${round}`);
      }
      assert.deepStrictEqual(at(NOW, () => oracle.verify(token, verifyWith)), { round, iat: NOW / 1000 });
      assert.deepStrictEqual(at(NOW, () => qlik.verify(token, verifyWith)), { round, iat: NOW / 1000 });
      for (const [, other] of cases) {
        if (other === verifyWith) continue;
        const mine = at(NOW, () => outcome(() => qlik.verify(token, other)));
        const theirs = at(NOW, () => outcome(() => oracle.verify(token, other)));
        assert.deepStrictEqual(mine, theirs, `${algorithm} token against another key`);
      }
    }
  }
});
