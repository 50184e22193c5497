'use strict';
// Hostile input: wrong types, absurd values, broken keys and broken tokens for every
// entry point. Each case says which error class and stable code it must raise (or that it must
// succeed, where jsonwebtoken succeeds too); where jsonwebtoken can run the same call, its
// message is the oracle. After every case a signer still works, and at the end every collected
// error message is scanned for key material.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');

const { qlik, oracle, key, keyText, at } = require('./helpers');
const { assertNoKeyMaterial } = require('./hostile-key-material');

const SECRET = 'hostile-input-secret-3f9a1c77d2';
const RSA = key('rsa2048-private-pkcs8.pem');
const EC = keyText('ec256-private-pkcs8.pem');
const QLIK_SETTINGS = { privateKey: EC, keyId: 'kid-1', issuer: 'issuer.example', algorithm: 'ES256' };
const USER = { sub: 'u1', name: 'User One', email: 'u1@example.com', emailVerified: true };
const GOOD = oracle.sign({ a: 1 }, SECRET);
const [HEAD, BODY, SIG] = GOOD.split('.');
const b64 = (text) => Buffer.from(text).toString('base64url');

function nested(depth) {
  const root = {};
  let cursor = root;
  for (let i = 0; i < depth; i += 1) {
    cursor.a = {};
    cursor = cursor.a;
  }
  return root;
}

// `oracle: false` where jsonwebtoken cannot serve: it throws a native TypeError/RangeError the
// drop-in reports as a plain Error with the same message (documented), or the API is qlik-jwt's.
const E = (code, extra = {}) => ({ class: 'Error', code, ...extra });
const J = (code, extra = {}) => ({ class: 'JsonWebTokenError', code, ...extra });
// What jsonwebtoken lets V8 or Node throw (Buffer.from(undefined), JSON.stringify of a BigInt).
const T = (code, extra = {}) => ({ class: 'TypeError', code, ...extra });

const SIGN = [
  ['payload undefined', [undefined, SECRET], E('ERR_INVALID_PAYLOAD')],
  ['payload null', [null, SECRET], E('ERR_INVALID_PAYLOAD')],
  ['payload function', [() => 1, SECRET], T('ERR_INVALID_PAYLOAD', { oracle: false })],
  ['payload symbol', [Symbol('s'), SECRET], T('ERR_INVALID_PAYLOAD', { oracle: false })],
  ['payload with a BigInt', [{ a: 1n }, SECRET], T('ERR_INVALID_PAYLOAD', { oracle: false })],
  ['payload nested 100000 deep', [nested(100000), SECRET], E('ERR_INVALID_PAYLOAD', { oracle: false })],
  ['payload exp a string', [{ exp: 'tomorrow' }, SECRET], E('ERR_INVALID_PAYLOAD')],
  ['payload nbf an object', [{ nbf: {} }, SECRET], E('ERR_INVALID_PAYLOAD')],
  ['payload iat a boolean', [{ iat: true }, SECRET], E('ERR_INVALID_PAYLOAD')],
  ['key undefined', [{}, undefined], E('ERR_MISSING_KEY')],
  ['key null', [{}, null], E('ERR_MISSING_KEY')],
  ['key empty string', [{}, ''], E('ERR_MISSING_KEY')],
  ['key a number', [{}, 42], E('ERR_INVALID_KEY')],
  ['key a plain object', [{}, { foo: 1 }], E('ERR_INVALID_KEY')],
  ['key an array', [{}, [1, 2]], E('ERR_INVALID_KEY')],
  ['key { key } with a number', [{}, { key: 5 }], E('ERR_INVALID_KEY')],
  ['options a string', [{}, SECRET, 'HS256'], E('ERR_INVALID_OPTION')],
  ['options a number', [{}, SECRET, 5], E('ERR_INVALID_OPTION')],
  ['unknown option', [{}, SECRET, { bogus: 1 }], E('ERR_INVALID_OPTION')],
  ['algorithm unknown', [{}, SECRET, { algorithm: 'HS999' }], E('ERR_INVALID_OPTION')],
  ['algorithm lower case', [{}, SECRET, { algorithm: 'hs256' }], E('ERR_INVALID_OPTION')],
  ['algorithm null', [{}, SECRET, { algorithm: null }], E('ERR_INVALID_OPTION')],
  ['expiresIn NaN', [{}, SECRET, { expiresIn: NaN }], E('ERR_INVALID_OPTION')],
  ['expiresIn Infinity', [{}, SECRET, { expiresIn: Infinity }], E('ERR_INVALID_OPTION')],
  ['expiresIn -Infinity', [{}, SECRET, { expiresIn: -Infinity }], E('ERR_INVALID_OPTION')],
  ['expiresIn not a span', [{}, SECRET, { expiresIn: 'soon' }], E('ERR_INVALID_TIMESPAN')],
  ['expiresIn 101 characters', [{}, SECRET, { expiresIn: '1'.repeat(101) }], E('ERR_INVALID_TIMESPAN')],
  ['expiresIn an object', [{}, SECRET, { expiresIn: {} }], E('ERR_INVALID_OPTION')],
  ['expiresIn with a string payload', ['text', SECRET, { expiresIn: 60 }], E('ERR_INVALID_OPTION')],
  ['notBefore a boolean', [{}, SECRET, { notBefore: true }], E('ERR_INVALID_OPTION')],
  ['notBefore NaN', [{}, SECRET, { notBefore: NaN }], E('ERR_INVALID_OPTION')],
  ['header a string', [{}, SECRET, { header: 'x' }], E('ERR_INVALID_OPTION')],
  ['audience a number', [{}, SECRET, { audience: 5 }], E('ERR_INVALID_OPTION')],
  ['issuer an array', [{}, SECRET, { issuer: ['a'] }], E('ERR_INVALID_OPTION')],
  ['expiresIn and payload exp', [{ exp: 1 }, SECRET, { expiresIn: 60 }], E('ERR_CLAIM_CONFLICT')],
  ['public key to sign RS256', [{}, key('rsa2048-public-spki.pem'), { algorithm: 'RS256' }], E('ERR_KEY_ALGORITHM_MISMATCH')],
  ['certificate to sign RS256', [{}, key('rsa2048-cert.pem'), { algorithm: 'RS256' }], E('ERR_KEY_ALGORITHM_MISMATCH')],
  ['1024-bit RSA', [{}, key('rsa1024-private-pkcs8.pem'), { algorithm: 'RS256' }], E('ERR_KEY_TOO_SMALL')],
  ['512-bit RSA', [{}, 'RSA512', { algorithm: 'RS256' }], E('ERR_KEY_TOO_SMALL')],
  ['encrypted key without passphrase', [{}, key('rsa2048-private-pkcs8-encrypted.pem'), { algorithm: 'RS256' }], E('ERR_KEY_ALGORITHM_MISMATCH')],
  ['encrypted key, wrong passphrase', [{}, { key: key('rsa2048-private-pkcs8-encrypted.pem'), passphrase: 'wrong-passphrase-81c3' }, { algorithm: 'RS256' }], E('ERR_INVALID_KEY')],
  ['legacy encrypted PKCS#1, wrong passphrase', [{}, { key: key('rsa2048-private-pkcs1-legacy-encrypted.pem'), passphrase: 'wrong-passphrase-81c3' }, { algorithm: 'RS256' }], E('ERR_INVALID_KEY')],
  ['truncated PEM', [{}, RSA.subarray(0, 300), { algorithm: 'RS256' }], E('ERR_KEY_ALGORITHM_MISMATCH')],
  ['PEM with a corrupted body', [{}, RSA.toString().replace(/MII/, 'M!I'), { algorithm: 'RS256' }], E('ERR_KEY_ALGORITHM_MISMATCH')],
  ['binary garbage as an RSA key', [{}, Buffer.from([0, 1, 2, 255, 254]), { algorithm: 'RS256' }], E('ERR_KEY_ALGORITHM_MISMATCH')],
  ['DER bytes with PEM armour', [{}, `-----BEGIN PRIVATE KEY-----\n${'A'.repeat(64)}\n-----END PRIVATE KEY-----\n`, { algorithm: 'RS256' }], E('ERR_KEY_ALGORITHM_MISMATCH')],
  ['EC key for RS256', [{}, EC, { algorithm: 'RS256' }], E('ERR_KEY_ALGORITHM_MISMATCH')],
  ['RSA key for ES256', [{}, RSA, { algorithm: 'ES256' }], E('ERR_KEY_ALGORITHM_MISMATCH')],
  ['P-384 key for ES256', [{}, key('ec384-private-pkcs8.pem'), { algorithm: 'ES256' }], E('ERR_KEY_ALGORITHM_MISMATCH')],
  ['secp256k1 key for ES256', [{}, key('secp256k1-private-pkcs8.pem'), { algorithm: 'ES256' }], E('ERR_KEY_ALGORITHM_MISMATCH')],
  ['Ed25519 key for ES256', [{}, key('ed25519-private-pkcs8.pem'), { algorithm: 'ES256' }], E('ERR_KEY_ALGORITHM_MISMATCH')],
  ['secret for RS256', [{}, SECRET, { algorithm: 'RS256' }], E('ERR_KEY_ALGORITHM_MISMATCH')],
  ['RSA private key as an HMAC secret', [{}, RSA, { algorithm: 'HS256' }], E('ERR_KEY_ALGORITHM_MISMATCH')],
  ['Qlik audience with HS256', [{ sub: 'a', name: 'b', email: 'c', email_verified: true, groups: [] }, SECRET, { audience: 'qlik.api/login/jwt-session', expiresIn: 60, issuer: 'i', keyid: 'k' }], E('ERR_QLIK_RULE', { oracle: false })],
];

const VERIFY = [
  ['token undefined', [undefined, SECRET], J('ERR_JWT_MALFORMED')],
  ['token null', [null, SECRET], J('ERR_JWT_MALFORMED')],
  ['token a number', [5, SECRET], J('ERR_JWT_MALFORMED')],
  ['token an object', [{}, SECRET], J('ERR_JWT_MALFORMED')],
  ['token a Buffer', [Buffer.from(GOOD), SECRET], J('ERR_JWT_MALFORMED')],
  ['token empty', ['', SECRET], J('ERR_JWT_MALFORMED')],
  ['token with one dot', [`${HEAD}.${BODY}`, SECRET], J('ERR_JWT_MALFORMED')],
  ['token with an extra dot', [`${GOOD}.`, SECRET], J('ERR_JWT_MALFORMED')],
  ['token of dots', ['....', SECRET], J('ERR_JWT_MALFORMED')],
  ['header bad base64', [`!!!.${BODY}.${SIG}`, SECRET], J('ERR_JWT_MALFORMED')],
  ['header not JSON', [`${b64('nope')}.${BODY}.${SIG}`, SECRET], J('ERR_JWT_MALFORMED')],
  ['header a JSON array', [`${b64('[1]')}.${BODY}.${SIG}`, SECRET], J('ERR_JWT_ALGORITHM_NOT_ALLOWED')],
  ['header without alg', [`${b64('{}')}.${BODY}.${SIG}`, SECRET], J('ERR_JWT_ALGORITHM_NOT_ALLOWED')],
  ['payload bad base64', [`${HEAD}.%%%.${SIG}`, SECRET], J('ERR_JWT_MALFORMED')],
  ['signature bad base64', [`${HEAD}.${BODY}.%%%`, SECRET], J('ERR_JWT_MALFORMED')],
  ['binary and lone surrogates', ['\u0000\u0001.\uffff.\ud800', SECRET], J('ERR_JWT_MALFORMED')],
  ['oversized header (1 MB)', [`${b64(JSON.stringify({ alg: 'HS256', x: 'a'.repeat(1 << 20) }))}.${BODY}.${SIG}`, SECRET], J('ERR_JWT_INVALID_SIGNATURE')],
  ['key undefined', [GOOD, undefined], J('ERR_MISSING_KEY')],
  ['key a number', [GOOD, 5], J('ERR_INVALID_KEY')],
  ['key an object', [GOOD, { nope: true }], J('ERR_INVALID_KEY')],
  ['complete with a broken signature', [`${HEAD}.${BODY}.${SIG.slice(0, -2)}`, SECRET, { complete: true }], J('ERR_JWT_INVALID_SIGNATURE')],
  ['clockTimestamp a string', [GOOD, SECRET, { clockTimestamp: 'x' }], J('ERR_INVALID_OPTION')],
  ['maxAge not a span', [GOOD, SECRET, { maxAge: 'soon' }], J('ERR_INVALID_TIMESPAN')],
  ['algorithms without the token alg', [GOOD, SECRET, { algorithms: ['RS256'] }], J('ERR_JWT_ALGORITHM_NOT_ALLOWED')],
  ['RSA public key for an HS256 token', [GOOD, key('rsa2048-public-spki.pem'), { algorithms: ['HS256'] }], J('ERR_KEY_ALGORITHM_MISMATCH')],
  ['certificate for an HS256 token', [GOOD, key('rsa2048-cert.pem'), { algorithms: ['HS256'] }], J('ERR_KEY_ALGORITHM_MISMATCH')],
  ['garbage key for an RS256 token', [oracle.sign({}, RSA, { algorithm: 'RS256' }), Buffer.from([1, 2, 3]), { algorithms: ['RS256'] }], J('ERR_KEY_ALGORITHM_MISMATCH')],
  ['expired at absurd exp 1e300 ago', [oracle.sign({ exp: -1e300 }, SECRET), SECRET], { class: 'TokenExpiredError', code: 'ERR_JWT_EXPIRED' }],
  ['nbf in the far future', [oracle.sign({ nbf: 1e12 }, SECRET), SECRET], { class: 'NotBeforeError', code: 'ERR_JWT_NOT_ACTIVE' }],
  ['exp a string in the token', [oracle.sign({ exp: 1 }, SECRET).replace(/\..*\./, `.${b64('{"exp":"1"}')}.`), SECRET], J('ERR_JWT_INVALID_SIGNATURE')],
];

const DECODE = [
  ['a number', [5]],
  ['garbage with dots', ['a.b.c']],
  ['undefined', [undefined]],
  ['lone surrogates', ['\ud800.\udfff.x']],
  ['1 MB of dots', ['.'.repeat(1 << 20)]],
];

/** Calls `fn`, returning the thrown error (or undefined) and the result. */
function attempt(fn) {
  try {
    return { result: fn() };
  } catch (error) {
    return { error };
  }
}

const messages = [];
const signer = qlik.createQlikSigner(QLIK_SETTINGS);

function stillWorks() {
  const token = qlik.sign({ n: 1 }, SECRET);
  assert.equal(qlik.verify(token, SECRET).n, 1);
  assert.equal(qlik.decode(signer.sign(USER)).sub, 'u1');
}

function checkError(error, expected, oracleError) {
  assert.ok(error instanceof Error, `expected an Error, got ${error}`);
  messages.push(error.message);
  assert.equal(error.name, expected.class, error.message);
  assert.equal(error.code, expected.code, error.message);
  if (expected.class === 'TypeError') assert.ok(error instanceof TypeError);
  else if (expected.class !== 'Error') assert.ok(error instanceof qlik.JsonWebTokenError);
  assert.ok(error.message.length > 0);
  if (oracleError !== undefined) {
    assert.ok(oracleError instanceof Error, 'jsonwebtoken threw too');
    assert.equal(error.message, oracleError.message, 'message as jsonwebtoken');
  }
}

function materialize(args) {
  // A 512-bit RSA key is made here: no such key belongs in the repository's key set.
  return args.map((arg) =>
    arg === 'RSA512'
      ? crypto.generateKeyPairSync('rsa', { modulusLength: 512 }).privateKey.export({ type: 'pkcs8', format: 'pem' })
      : arg,
  );
}

for (const [name, rawArgs, expected] of SIGN) {
  const args = materialize(rawArgs);
  test(`sign: ${name}`, async () => {
    const ours = attempt(() => qlik.sign(...args));
    const theirs = expected.oracle === false ? undefined : attempt(() => oracle.sign(...args)).error;
    checkError(ours.error, expected, theirs);
    const asyncError = await qlik.signAsync(...args).then(() => undefined, (error) => error);
    checkError(asyncError, expected);
    assert.equal(asyncError.message, ours.error.message, 'the pool form fails alike');
    stillWorks();
  });
}

for (const [name, args, expected, flags = {}] of VERIFY) {
  test(`verify: ${name}`, async () => {
    const ours = attempt(() => qlik.verify(...args));
    const theirs = expected.oracle === false ? undefined : attempt(() => oracle.verify(...args)).error;
    checkError(ours.error, expected, theirs);
    if (!flags.skipAsync) {
      const asyncError = await qlik.verifyAsync(...args).then(() => undefined, (error) => error);
      checkError(asyncError, expected);
    }
    stillWorks();
  });
}

for (const [name, args] of DECODE) {
  test(`decode: ${name} is null, as jsonwebtoken`, () => {
    assert.equal(qlik.decode(...args), null);
    assert.equal(oracle.decode(...args), null);
    stillWorks();
  });
}

// Inputs that jsonwebtoken accepts: the drop-in must accept them too, and the result must hold.
test('sign: a 10 MB payload signs and verifies', () => {
  const payload = { blob: 'x'.repeat(10 * 1024 * 1024) };
  const token = qlik.sign(payload, SECRET, { noTimestamp: true });
  assert.equal(token, oracle.sign(payload, SECRET, { noTimestamp: true }));
  assert.equal(qlik.verify(token, SECRET).blob.length, payload.blob.length);
  stillWorks();
});

test('sign: an empty payload object and an empty string payload', () => {
  assert.equal(qlik.sign({}, SECRET, { noTimestamp: true }), oracle.sign({}, SECRET, { noTimestamp: true }));
  assert.equal(qlik.sign('', SECRET), oracle.sign('', SECRET));
});

test('sign: lone surrogates become U+FFFD (the documented difference), and the token holds', () => {
  const payload = { s: '\ud800 and \udfff', [String.fromCharCode(0xdbff)]: 1 };
  const token = qlik.sign(payload, SECRET, { noTimestamp: true });
  assert.deepEqual(qlik.verify(token, SECRET), { s: '\ufffd and \ufffd', '\ufffd': 1 });
  assert.deepEqual(oracle.verify(token, SECRET), { s: '\ufffd and \ufffd', '\ufffd': 1 });
  stillWorks();
});

test('sign: an RSA public key given for HS256 is an HMAC secret, as in jsonwebtoken', () => {
  // jsonwebtoken signs with the PEM text as the secret; the CVE-2022-23541 defence is on
  // verify, where the same key is refused (attacks.test.js).
  const pem = key('rsa2048-public-spki.pem');
  assert.equal(qlik.sign({}, pem, { noTimestamp: true }), oracle.sign({}, pem, { noTimestamp: true }));
});

test('sign: absurd but numeric times behave as in jsonwebtoken', () => {
  const cases = [{ expiresIn: 1e300 }, { expiresIn: -5 }, { notBefore: -1e300 }, { expiresIn: 0 }];
  for (const options of cases) {
    assert.equal(
      qlik.sign({}, SECRET, { ...options, noTimestamp: true }),
      oracle.sign({}, SECRET, { ...options, noTimestamp: true }),
      JSON.stringify(options),
    );
  }
  // One clock for both, so that an iat they add cannot straddle a second boundary.
  const now = 1_700_000_000_000;
  for (const payload of [{ exp: NaN }, { iat: Infinity }, { nbf: 1e300 }, { exp: -1 }]) {
    const mine = at(now, () => qlik.sign(payload, SECRET));
    assert.equal(mine, at(now, () => oracle.sign(payload, SECRET)), JSON.stringify(payload));
  }
});

test('verify: a 10 MB token verifies', () => {
  const token = oracle.sign({ blob: 'y'.repeat(10 * 1024 * 1024) }, SECRET);
  assert.equal(qlik.verify(token, SECRET).blob.length, 10 * 1024 * 1024);
});

// The Qlik API is qlik-jwt's own: no oracle, the core's codes.
const QLIK_SIGNER = [
  ['options undefined', undefined, 'TypeError'],
  ['options a string', 'settings', 'TypeError'],
  ['privateKey missing', { keyId: 'k', issuer: 'i' }, 'ERR_INVALID_KEY'],
  ['privateKey a number', { ...QLIK_SETTINGS, privateKey: 5 }, 'ERR_INVALID_KEY'],
  ['privateKey garbage', { ...QLIK_SETTINGS, privateKey: 'not a key' }, 'ERR_INVALID_KEY'],
  ['public key instead of private', { ...QLIK_SETTINGS, privateKey: keyText('ec256-public-spki.pem') }, 'ERR_INVALID_KEY'],
  ['certificate instead of private', { ...QLIK_SETTINGS, privateKey: keyText('rsa2048-cert.pem'), algorithm: 'RS256' }, 'ERR_INVALID_KEY'],
  ['HS256', { ...QLIK_SETTINGS, algorithm: 'HS256' }, 'ERR_QLIK_RULE'],
  ['algorithm bogus', { ...QLIK_SETTINGS, algorithm: 'XX1' }, 'ERR_UNSUPPORTED_ALGORITHM'],
  ['1024-bit RSA', { ...QLIK_SETTINGS, privateKey: key('rsa1024-private-pkcs8.pem'), algorithm: 'RS256' }, 'ERR_KEY_TOO_SMALL'],
  ['EC key with RS256', { ...QLIK_SETTINGS, algorithm: 'RS256' }, 'ERR_KEY_ALGORITHM_MISMATCH'],
  ['keyId missing', { privateKey: EC, issuer: 'i', algorithm: 'ES256' }, /keyId/],
  ['keyId empty', { ...QLIK_SETTINGS, keyId: '' }, 'ERR_QLIK_RULE'],
  ['issuer a number', { ...QLIK_SETTINGS, issuer: 5 }, /String/],
  ['lifetime NaN', { ...QLIK_SETTINGS, lifetimeSeconds: NaN }, 'ERR_QLIK_RULE'],
  ['lifetime Infinity', { ...QLIK_SETTINGS, lifetimeSeconds: Infinity }, 'ERR_QLIK_RULE'],
  ['lifetime over an hour', { ...QLIK_SETTINGS, lifetimeSeconds: 3601 }, 'ERR_QLIK_RULE'],
  ['lifetime negative', { ...QLIK_SETTINGS, lifetimeSeconds: -60 }, 'ERR_QLIK_RULE'],
  ['skew 1e300', { ...QLIK_SETTINGS, notBeforeSkewSeconds: 1e300 }, 'ERR_QLIK_RULE'],
];

for (const [name, options, code] of QLIK_SIGNER) {
  test(`createQlikSigner: ${name}`, () => {
    const { error } = attempt(() => qlik.createQlikSigner(options));
    assert.ok(error instanceof Error, 'throws');
    messages.push(error.message);
    if (code === 'TypeError') assert.equal(error.name, 'TypeError');
    else if (code instanceof RegExp) assert.match(error.message, code, 'a conversion error naming what was expected');
    else assert.equal(error.code, code, error.message);
    stillWorks();
  });
}

// Expected: the core's code, or for a value napi cannot convert, a message naming the field.
const QLIK_USERS = [
  ['user undefined', undefined, 'TypeError'],
  ['user null', null, 'TypeError'],
  ['user a string', 'u1', 'TypeError'],
  ['sub missing', { ...USER, sub: undefined }, /sub/],
  ['sub a number', { ...USER, sub: 5 }, /sub/],
  ['sub empty', { ...USER, sub: '' }, 'ERR_QLIK_RULE'],
  ['name empty', { ...USER, name: '' }, 'ERR_QLIK_RULE'],
  ['groups a string', { ...USER, groups: 'admins' }, /groups/],
  ['groups with a number', { ...USER, groups: ['a', 5] }, /groups/],
  ['group over 256 characters', { ...USER, groups: ['g'.repeat(257)] }, 'ERR_QLIK_RULE'],
  ['emailVerified a string', { ...USER, emailVerified: 'true' }, /emailVerified/],
  ['emailVerified missing', { ...USER, emailVerified: undefined }, /emailVerified/],
  ['100000 groups of 256 characters', { ...USER, groups: Array(100000).fill('g'.repeat(256)) }, 'OK'],
];

for (const [name, user, expected] of QLIK_USERS) {
  test(`QlikSigner.sign: ${name}`, async () => {
    const { error } = attempt(() => signer.sign(user));
    if (expected === 'OK') {
      // Qlik sets no limit on the number of groups; the signer must simply cope.
      assert.equal(error, undefined);
    } else {
      assert.ok(error instanceof Error, 'throws');
      messages.push(error.message);
      if (expected === 'TypeError') assert.equal(error.name, 'TypeError');
      else if (expected instanceof RegExp) assert.match(error.message, expected);
      else assert.equal(error.code, expected, error.message);
      const asyncError = await signer.signAsync(user).then(() => undefined, (e) => e);
      assert.ok(asyncError instanceof Error);
      assert.equal(asyncError.message, error.message);
    }
    stillWorks();
  });
}

const EXPLAIN = [
  ['undefined', undefined],
  ['a number', 5],
  ['empty', ''],
  ['garbage', 'garbage'],
  ['dots', '..'],
  ['multibyte start', 'ääääääää.b.c'],
  ['lone surrogate', '\ud800.x.y'],
  ['huge header', `${b64(JSON.stringify({ alg: 'RS256', x: 'a'.repeat(1 << 20) }))}.${BODY}.${SIG}`],
  ['alg none', `${b64('{"alg":"none"}')}.${BODY}.`],
];

for (const [name, token] of EXPLAIN) {
  test(`explainQlikToken: ${name} reports problems or a TypeError, never crashes`, () => {
    const { error, result } = attempt(() => qlik.explainQlikToken(token, { certificate: keyText('ec256-public-spki.pem') }));
    if (error) {
      messages.push(error.message);
      assert.equal(error.name, 'TypeError', error.message);
      assert.match(error.message, /^token must be a string/);
    } else {
      assert.ok(Array.isArray(result) && result.length > 0, 'a broken token has problems');
      for (const problem of result) messages.push(problem.message);
    }
    stillWorks();
  });
}

test('no collected error message contains key material or a secret', () => {
  assert.ok(messages.length >= 60, `collected ${messages.length} messages`);
  assertNoKeyMaterial(messages, [SECRET, 'wrong-passphrase-81c3']);
});
