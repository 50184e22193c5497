'use strict';
// Payload and options cross to the addon as JSON text when JSON carries them exactly
// (lib/json-args.js). Two things must hold: only such values take that way, and for them the
// JSON way and the member-by-member way give the addon the same value, so the same token,
// payload or failure comes out of either.

const { test } = require('node:test');
const assert = require('node:assert/strict');

const native = require('../lib/native');
const { jsonArgs, survivesJson, OPTIONS_IS_JSON, PAYLOAD_IS_JSON } = require('../lib/json-args');

const SECRET = 'json-args-secret';
const NOW = 1_700_000_000_000;

class Claims {
  constructor() {
    this.a = 1;
  }
}

function nested(depth) {
  let value = 'leaf';
  for (let level = 0; level < depth; level++) value = { inner: value };
  return value;
}

const cyclic = { a: 1 };
cyclic.self = cyclic;

const EXACT = {
  'flat claims': { sub: 'u', n: 1.5, ok: true, none: null, empty: '' },
  'nested objects and arrays': { groups: ['a', 'b'], deep: { list: [[1, 2], { x: 'y' }] } },
  'integer-like names first': { b: 1, 2: 'two', a: 3, 1: 'one' },
  'a __proto__ member': JSON.parse('{"__proto__":{"admin":true},"a":1}'),
  'no prototype': Object.assign(Object.create(null), { a: 1 }),
  'big and tiny numbers': { big: 1e21, tiny: 5e-324, unsafe: 9007199254740993, neg: -1.5e-7 },
  'lone surrogates': { '\ud800name': 'x\udfffy', pair: '\ud83d\ude00' },
  'escapes': { s: 'quote " backslash \\ newline \n tab \t nul \u0000 del \u007f' },
  'registered claims': { iat: 1_600_000_000, nbf: 1_600_000_000, exp: 1_800_000_000 },
  'an array payload': [1, 'two'],
  'depth 31': nested(31),
};

const NOT_EXACT = {
  'an undefined member': { a: undefined },
  'NaN': { exp: NaN },
  'Infinity': { exp: Infinity },
  '-0': { iat: -0 },
  'nested -0': { a: [0, -0] },
  'a function': { f() {} },
  'a symbol': { s: Symbol('s') },
  'a bigint': { b: 10n },
  'a Date': { when: new Date(NOW) },
  'a Buffer': { raw: Buffer.from('x') },
  'a RegExp': { audience: /qlik/ },
  'a class instance': { claims: new Claims() },
  'a toJSON method': { a: { toJSON: () => 'x' } },
  'a hole in an array': { a: [1, , 3] },
  'an array subclass': { a: new (class List extends Array {})() },
  'depth 33': nested(33),
  'a cycle': cyclic,
};

test('only values JSON carries exactly survive as JSON text', () => {
  for (const [name, value] of Object.entries(EXACT)) {
    assert.equal(survivesJson(value, 0), true, name);
  }
  for (const [name, value] of Object.entries(NOT_EXACT)) {
    assert.equal(survivesJson(value, 0), false, name);
  }
});

test('jsonArgs turns only object payloads and options into text, and says which', () => {
  const both = jsonArgs({ a: 1 }, { expiresIn: 60 });
  assert.deepEqual(both, {
    payload: '{"a":1}',
    options: '{"expiresIn":60}',
    bits: PAYLOAD_IS_JSON | OPTIONS_IS_JSON,
  });
  assert.deepEqual(jsonArgs('a string payload', undefined), {
    payload: 'a string payload',
    options: undefined,
    bits: 0,
  });
  const raw = Buffer.from('bytes');
  const bufferPayload = jsonArgs(raw, { audience: /x/ });
  assert.equal(bufferPayload.payload, raw);
  assert.equal(bufferPayload.bits, 0);
  assert.equal(jsonArgs(null, null).bits, 0);
});

/** What the addon makes of one call, with the arguments as text or as they are. */
function signOutcome(payload, options, asJson) {
  const args = asJson ? jsonArgs(payload, options) : { payload, options, bits: 0 };
  const result = native.sign(args.payload, SECRET, undefined, args.options, NOW, args.bits);
  if (result instanceof native.Failure) return { failure: result.message };
  return typeof result === 'string' ? { token: result } : { token: result.token, mutates: true };
}

test('a payload signs to the same token either way', () => {
  const options = { expiresIn: '1h', issuer: 'https://app', header: { kid: 'k1' } };
  for (const [name, payload] of Object.entries(EXACT)) {
    const viaJson = signOutcome(payload, options, true);
    assert.deepEqual(viaJson, signOutcome(payload, options, false), name);
  }
});

test('options give the same token or the same failure either way', () => {
  const optionSets = {
    'the tutorial options': {
      algorithm: 'HS256', keyid: 'kid', issuer: 'iss', expiresIn: '5m', notBefore: '0s',
    },
    'numeric timespans': { expiresIn: 3600, notBefore: -30 },
    'an audience list': { audience: ['a', 'b'], subject: 's', jwtid: 'j' },
    'an unknown option': { expiresIn: 60, colour: 'blue' },
    'a bad timespan': { expiresIn: 'soon' },
    'a conflicting claim': { issuer: 'two' },
    'mutatePayload': { mutatePayload: true, expiresIn: 60 },
    'noTimestamp': { noTimestamp: true },
  };
  const payload = { sub: 'u', iss: 'one' };
  for (const [name, options] of Object.entries(optionSets)) {
    const viaJson = signOutcome(payload, options, true);
    assert.equal(jsonArgs(payload, options).bits, PAYLOAD_IS_JSON | OPTIONS_IS_JSON, name);
    assert.deepEqual(viaJson, signOutcome(payload, options, false), name);
  }
});

test('verify and decode options give the same result either way', () => {
  const token = native.sign(
    '{"sub":"u","aud":"a","iss":"i"}', SECRET, undefined, '{"noTimestamp":true}', NOW, 3,
  );
  const optionSets = [
    { algorithms: ['HS256'] },
    { algorithms: ['RS256'] },
    { audience: ['b', 'a'], issuer: 'i', complete: true },
    { audience: 'nope' },
    { maxAge: '1h', clockTolerance: 5 },
    { json: true },
  ];
  const plain = (result) =>
    result instanceof native.Failure ? { failure: result.message } : { result };
  for (const options of optionSets) {
    const text = JSON.stringify(options);
    assert.deepEqual(
      plain(native.verify(token, SECRET, undefined, text, NOW, OPTIONS_IS_JSON)),
      plain(native.verify(token, SECRET, undefined, options, NOW, 0)),
      text,
    );
    assert.deepEqual(
      plain(native.decode(token, text, OPTIONS_IS_JSON)),
      plain(native.decode(token, options, 0)),
      text,
    );
  }
});

test('mutatePayload still reaches the caller\'s object through the JSON way', () => {
  const qlik = require('qlik-jwt');
  const payload = { sub: 'u' };
  qlik.sign(payload, SECRET, { mutatePayload: true, expiresIn: 60, issuer: 'i' });
  assert.deepEqual(Object.keys(payload), ['sub', 'iat', 'exp', 'iss']);
  assert.equal(payload.exp - payload.iat, 60);
});

test('an options object changed between calls is written again, not taken from the last call', () => {
  const options = { expiresIn: 60, issuer: 'first' };
  const text = () => jsonArgs(undefined, options).options;
  // The first call writes it, the second also keeps what it held, the third reuses the text.
  const stringify = JSON.stringify;
  const written = [];
  JSON.stringify = (...args) => {
    written.push(args[0]);
    return stringify(...args);
  };
  try {
    for (let call = 0; call < 3; call++) assert.equal(text(), '{"expiresIn":60,"issuer":"first"}');
  } finally {
    JSON.stringify = stringify;
  }
  assert.deepEqual(written, [options, options]);
  options.issuer = 'second';
  assert.equal(text(), '{"expiresIn":60,"issuer":"second"}');
  options.subject = 's';
  assert.equal(text(), '{"expiresIn":60,"issuer":"second","subject":"s"}');
  delete options.expiresIn;
  assert.equal(text(), '{"issuer":"second","subject":"s"}');
  options.issuer = 'third';
  options.subject = 's';
  assert.equal(text(), '{"issuer":"third","subject":"s"}');
  // Values JSON would change take the member-by-member way again.
  options.notBefore = -0;
  assert.equal(jsonArgs(undefined, options).bits, 0);
  delete options.notBefore;
  assert.equal(jsonArgs(undefined, options).bits, OPTIONS_IS_JSON);
  // Nested members are never taken as unchanged: their insides could have changed.
  const nestedOptions = { header: { kid: 'a' } };
  assert.equal(jsonArgs(undefined, nestedOptions).options, '{"header":{"kid":"a"}}');
  nestedOptions.header.kid = 'b';
  assert.equal(jsonArgs(undefined, nestedOptions).options, '{"header":{"kid":"b"}}');
  // Another prototype than a plain object's is not JSON's way.
  Object.setPrototypeOf(options, new Claims());
  assert.equal(jsonArgs(undefined, options).bits, 0);
});

test('a reused options object signs what jsonwebtoken signs after each change', () => {
  const qlik = require('qlik-jwt');
  const oracle = require('jsonwebtoken');
  const options = { expiresIn: 60, issuer: 'first', noTimestamp: false };
  const payload = { sub: 'u', iat: 1_700_000_000 };
  for (const change of [() => {}, () => { options.issuer = 'second'; }, () => { options.expiresIn = '2h'; }]) {
    change();
    assert.equal(qlik.sign(payload, SECRET, options), oracle.sign(payload, SECRET, options));
  }
});

test('the addon parses options text again whenever it differs from the last call', () => {
  const payload = '{"sub":"u","iat":1700000000}';
  const sign = (options) => native.sign(payload, SECRET, undefined, options, NOW, 3);
  const [first, second] = ['{"expiresIn":60}', '{"expiresIn":120}'];
  const once = sign(first);
  const other = sign(second);
  assert.notEqual(once, other);
  assert.equal(sign(first), once);
  assert.equal(sign(second), other);
  // The same text again, and the member-by-member way in between, change nothing.
  assert.equal(native.sign(payload, SECRET, undefined, { expiresIn: 60 }, NOW, 1), once);
  assert.equal(sign(second), other);
});

test('a polluted Object.prototype sends a payload the general way and signs as jsonwebtoken', () => {
  const qlik = require('qlik-jwt');
  const oracle = require('jsonwebtoken');
  const payload = { sub: 'u', groups: ['a'] };
  const options = { noTimestamp: true };
  // An enumerable inherited member: JSON.stringify skips it, and so does the token.
  Object.prototype.polluted = function polluted() {};
  try {
    assert.equal(survivesJson(payload, 0), false);
    assert.equal(qlik.sign(payload, SECRET, options), oracle.sign(payload, SECRET, options));
  } finally {
    delete Object.prototype.polluted;
  }
  assert.equal(survivesJson(payload, 0), true);
});

test('strings on either side of the addon\'s 1 KiB read buffer sign as jsonwebtoken signs', () => {
  const qlik = require('qlik-jwt');
  const oracle = require('jsonwebtoken');
  const long = (filler, tail) => `${'s'.repeat(filler)}${tail}${tail}end`;
  // Multi-byte characters (2, 3 and 4 bytes of UTF-8) placed so that one straddles byte 1024,
  // in the payload, in an option and in the secret.
  for (let filler = 1010; filler <= 1030; filler++) {
    for (const tail of ['é', '€', '😀']) {
      const text = long(filler, tail);
      const options = { noTimestamp: true, issuer: text };
      assert.equal(qlik.sign({ sub: text }, text, options), oracle.sign({ sub: text }, text, options),
        `${filler} + ${tail}`);
    }
    // A lone surrogate in a secret becomes U+FFFD on both sides (in claims it is the
    // documented difference, tested in hostile-input.test.js).
    const secret = long(filler, '\ud800');
    assert.equal(qlik.sign({ sub: 'u' }, secret, { noTimestamp: true }),
      oracle.sign({ sub: 'u' }, secret, { noTimestamp: true }), `${filler} + lone surrogate`);
  }
});
