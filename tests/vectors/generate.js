'use strict';
// Writes sign.json, verify.json and decode.json: what the real jsonwebtoken 9.0.3 does for
// fixed inputs at a fixed clock. qlik-jwt's compat layer (and its Node and Python bindings)
// must do exactly the same. Run: npm ci --prefix tests/vectors && node tests/vectors/generate.js
//
// Deterministic: the clock is faked per vector, inputs are fixed, and the files list vectors in
// the order they are declared here. ES*/PS* signatures are randomized by nature; a token from
// the previous run whose header and payload are unchanged and whose signature still verifies
// is kept, so re-running leaves the files byte-identical.

const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const jwt = require('jsonwebtoken');
const { KEYS_DIR, encodeValue, decodeValue, loadKey, encodeError, writeVectorFile, atTime } = require('./codec');

const OUT_DIR = __dirname;
const JWT_VERSION = require('jsonwebtoken/package.json').version;
if (JWT_VERSION !== '9.0.3') throw new Error(`expected jsonwebtoken 9.0.3, found ${JWT_VERSION}`);

// 2023-11-14T22:13:20.123Z: a fixed "now", with milliseconds so that flooring matters.
const NOW_MS = 1700000000123;
const NOW = Math.floor(NOW_MS / 1000);

// Error classes that jsonwebtoken lets escape. SyntaxError and TypeError come from JSON.parse
// and from jws/jwa, unwrapped, exactly as jsonwebtoken throws them.
const KNOWN_CLASSES = [
  'Error', 'JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError', 'SyntaxError', 'TypeError',
];

// ---------------------------------------------------------------------------------------------
// Clock and key helpers

const text = (file) => ({ kind: 'text', file });
const buffer = (file) => ({ kind: 'buffer', file });
const withPassphrase = (file, passphrase) => ({ kind: 'passphrase', file, passphrase });
const jwk = (file) => ({ kind: 'jwk', file });
const value = (v) => ({ kind: 'value', value: encodeValue(v) });

// The public half that verifies what a private key file signs.
const PUBLIC_FOR = {
  rsa2048: 'rsa2048-public-spki.pem',
  rsa4096: 'rsa4096-publickey.cer',
  rsa1024: 'rsa1024-public-spki.pem',
  rsapss2048: 'rsapss2048-public-spki.pem',
  'rsapss2048-sha256': 'rsapss2048-sha256-public-spki.pem',
  ec256: 'ec256-public-spki.pem',
  ec384: 'ec384-public-spki.pem',
  ec521: 'ec521-public-spki.pem',
};

function publicKeyFor(keyDesc) {
  if (keyDesc.kind === 'jwk') return jwk(keyDesc.file.replace('-private.', '-public.'));
  if (!keyDesc.file) return null;
  const prefix = keyDesc.file.startsWith('rsapss2048-sha256')
    ? 'rsapss2048-sha256'
    : keyDesc.file.split('-')[0];
  return PUBLIC_FOR[prefix] ? text(PUBLIC_FOR[prefix]) : null;
}

const b64url = (buf) => Buffer.from(buf).toString('base64url');
const segment = (obj) => b64url(Buffer.from(typeof obj === 'string' ? obj : JSON.stringify(obj)));
function headerOf(token) {
  try {
    return JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('latin1'));
  } catch (_) {
    return {}; // a header that jsonwebtoken itself could not read back (see options/header-unicode)
  }
}
const isRandomized = (alg) => typeof alg === 'string' && /^(ES|PS)/.test(alg);

// ---------------------------------------------------------------------------------------------
// Keeping randomized signatures stable across runs

const previousTokens = new Map(); // "header.payload" -> [full tokens seen in the previous files]
for (const file of ['sign.json', 'verify.json', 'decode.json']) {
  const p = path.join(OUT_DIR, file);
  if (!fs.existsSync(p)) continue;
  const collect = (t) => {
    if (typeof t !== 'string' || t.split('.').length !== 3) return;
    const prefix = t.split('.').slice(0, 2).join('.');
    if (!previousTokens.has(prefix)) previousTokens.set(prefix, []);
    previousTokens.get(prefix).push(t);
  };
  for (const v of JSON.parse(fs.readFileSync(p, 'utf8')).vectors) {
    collect(v.token);
    if (v.expect && v.expect.token) collect(v.expect.token);
  }
}

// Returns an earlier token with the same header and payload if its signature verifies with
// `publicKeyDesc`, else `token` itself.
function stabilize(token, publicKeyDesc) {
  const alg = headerOf(token).alg;
  if (!isRandomized(alg)) return token;
  const prefix = token.split('.').slice(0, 2).join('.');
  for (const old of previousTokens.get(prefix) || []) {
    try {
      jwt.verify(old, loadKey(publicKeyDesc), {
        algorithms: [alg], ignoreExpiration: true, ignoreNotBefore: true,
      });
      return old;
    } catch (_) { /* not a valid signature: try the next one */ }
  }
  return token;
}

// A token made by jsonwebtoken at `nowMs`, for verify and decode vectors.
function makeToken(payload, keyDesc, options, nowMs = NOW_MS) {
  const token = atTime(nowMs, () => jwt.sign(payload, loadKey(keyDesc), options));
  const pub = publicKeyFor(keyDesc);
  return pub ? stabilize(token, pub) : token;
}

// A token assembled by hand (for malformed and crafted cases): HS256 over the given segments.
function craft(headerSeg, payloadSeg, secret = 'secret', alg = 'sha256') {
  const input = `${headerSeg}.${payloadSeg}`;
  return `${input}.${b64url(crypto.createHmac(alg, secret).update(input).digest())}`;
}

function flipFirstSignatureChar(token) {
  const [h, p, s] = token.split('.');
  return `${h}.${p}.${s[0] === 'A' ? 'Q' : 'A'}${s.slice(1)}`;
}

function replacePayload(token, payload) {
  const [h, , s] = token.split('.');
  return `${h}.${segment(payload)}.${s}`;
}

function replaceHeader(token, header) {
  const [, p, s] = token.split('.');
  return `${segment(header)}.${p}.${s}`;
}

// ---------------------------------------------------------------------------------------------
// Vector declarations

const signVectors = [];
const verifyVectors = [];
const decodeVectors = [];
const ids = new Set();

function claimId(id) {
  if (ids.has(id)) throw new Error(`duplicate vector id ${id}`);
  ids.add(id);
}

function sign(id, payload, key, options, extra = {}) {
  claimId(`sign/${id}`);
  signVectors.push({
    id: `sign/${id}`,
    ...(extra.note ? { note: extra.note } : {}),
    payload: encodeValue(payload),
    key,
    options: encodeValue(options),
    now_ms: extra.now_ms ?? NOW_MS,
  });
}

function verify(id, token, key, options, extra = {}) {
  claimId(`verify/${id}`);
  verifyVectors.push({
    id: `verify/${id}`,
    ...(extra.note ? { note: extra.note } : {}),
    token: encodeValue(token),
    key,
    options: encodeValue(options),
    now_ms: extra.now_ms ?? NOW_MS,
  });
}

function decode(id, token, options, extra = {}) {
  claimId(`decode/${id}`);
  decodeVectors.push({
    id: `decode/${id}`,
    ...(extra.note ? { note: extra.note } : {}),
    token: encodeValue(token),
    options: encodeValue(options),
  });
}

// ---------------------------------------------------------------------------------------------
// Sign vectors

const SECRET = value('shhhhh, a shared test secret');
const RSA = text('rsa2048-private-pkcs8.pem');
const BASIC = { sub: '1234567890', name: 'John Doe', admin: true };

// Every algorithm with its natural key.
const ALG_KEYS = {
  HS256: SECRET, HS384: SECRET, HS512: SECRET,
  RS256: RSA, RS384: RSA, RS512: RSA,
  PS256: RSA, PS384: RSA, PS512: RSA,
  ES256: text('ec256-private-pkcs8.pem'),
  ES384: text('ec384-private-pkcs8.pem'),
  ES512: text('ec521-private-pkcs8.pem'),
};
for (const [alg, key] of Object.entries(ALG_KEYS)) {
  sign(`alg/${alg}`, BASIC, key, { algorithm: alg });
  sign(`alg/${alg}/all-claims`, { name: 'John Doe', admin: true }, key, {
    algorithm: alg, expiresIn: '1h', notBefore: '-30s', audience: 'urn:aud', issuer: 'urn:iss',
    subject: 'user-1', jwtid: 'id-1', keyid: 'kid-1',
  });
  sign(`alg/${alg}/string-payload`, 'plain text payload', key, { algorithm: alg });
}
sign('alg/default-is-HS256', BASIC, SECRET, undefined);
sign('alg/default-is-HS256-empty-options', BASIC, SECRET, {});
sign('alg/default-is-HS256-null-options', BASIC, SECRET, null);
sign('alg/none/no-key', BASIC, value(undefined), { algorithm: 'none' });
sign('alg/none/null-key', BASIC, value(null), { algorithm: 'none' });
sign('alg/none/with-secret', BASIC, SECRET, { algorithm: 'none' });
sign('alg/none/with-rsa-key', BASIC, RSA, { algorithm: 'none' });
sign('alg/none/string-payload', 'unsigned', value(undefined), { algorithm: 'none' });
sign('alg/PS256/rsa-pss-key-without-parameters', BASIC, text('rsapss2048-private-pkcs8.pem'), { algorithm: 'PS256' });
sign('alg/PS256/rsa-pss-key-sha256', BASIC, text('rsapss2048-sha256-private-pkcs8.pem'), { algorithm: 'PS256' });
sign('alg/PS384/rsa-pss-key-sha256', BASIC, text('rsapss2048-sha256-private-pkcs8.pem'), { algorithm: 'PS384' });
sign('alg/RS256/rsa-pss-key', BASIC, text('rsapss2048-sha256-private-pkcs8.pem'), { algorithm: 'RS256' });

// Key formats.
const RS = { algorithm: 'RS256' };
sign('key/rsa-pkcs8-pem-text', BASIC, text('rsa2048-private-pkcs8.pem'), RS);
sign('key/rsa-pkcs8-pem-buffer', BASIC, buffer('rsa2048-private-pkcs8.pem'), RS);
sign('key/rsa-pkcs1-pem-text', BASIC, text('rsa2048-private-pkcs1.pem'), RS);
sign('key/rsa-pkcs1-pem-buffer', BASIC, buffer('rsa2048-private-pkcs1.pem'), RS);
sign('key/rsa-encrypted-pkcs8', BASIC, withPassphrase('rsa2048-private-pkcs8-encrypted.pem', 'qlik-jwt-test'), RS);
sign('key/rsa-encrypted-pkcs8-wrong-passphrase', BASIC, withPassphrase('rsa2048-private-pkcs8-encrypted.pem', 'wrong'), RS);
sign('key/rsa-encrypted-pkcs8-no-passphrase', BASIC, text('rsa2048-private-pkcs8-encrypted.pem'), RS,
  { note: 'without a passphrase the PEM text does not parse as a key and becomes a secret' });
sign('key/rsa-encrypted-pkcs8-no-passphrase-HS256', BASIC, text('rsa2048-private-pkcs8-encrypted.pem'), { algorithm: 'HS256' },
  { note: 'the encrypted PEM text is used as an HMAC secret' });
sign('key/rsa-pkcs1-legacy-encrypted', BASIC, withPassphrase('rsa2048-private-pkcs1-legacy-encrypted.pem', 'qlik-jwt-test'), RS);
sign('key/rsa-pkcs8-der-buffer-RS256', BASIC, buffer('rsa2048-private-pkcs8.der'), RS,
  { note: 'a DER Buffer is not parsed as a key (PEM is assumed): it becomes a secret' });
sign('key/rsa-pkcs8-der-buffer-HS256', BASIC, buffer('rsa2048-private-pkcs8.der'), { algorithm: 'HS256' },
  { note: 'a DER Buffer is an HMAC secret' });
sign('key/rsa-jwk', BASIC, jwk('rsa2048-private.jwk.json'), RS);
sign('key/rsa-jwk-PS256', BASIC, jwk('rsa2048-private.jwk.json'), { algorithm: 'PS256' });
sign('key/rsa-public-jwk', BASIC, jwk('rsa2048-public.jwk.json'), RS);
sign('key/rsa-public-pem-RS256', BASIC, text('rsa2048-public-spki.pem'), RS,
  { note: 'a public key is not a private key: its PEM text becomes a secret' });
sign('key/rsa-public-pem-HS256', BASIC, text('rsa2048-public-spki.pem'), { algorithm: 'HS256' },
  { note: 'jsonwebtoken signs with the public PEM text as an HMAC secret' });
sign('key/rsa-cert-pem-RS256', BASIC, text('rsa2048-cert.pem'), RS);
sign('key/rsa-private-HS256', BASIC, RSA, { algorithm: 'HS256' });
sign('key/rsa4096-tutorial-pkcs1', BASIC, text('rsa4096-privatekey.pem'), RS);
sign('key/rsa4096-tutorial-RS512', BASIC, text('rsa4096-privatekey.pem'), { algorithm: 'RS512' });
for (const n of ['256', '384', '521']) {
  const alg = `ES${n === '521' ? '512' : n}`;
  sign(`key/ec${n}-pkcs8-pem`, BASIC, text(`ec${n}-private-pkcs8.pem`), { algorithm: alg });
  sign(`key/ec${n}-sec1-pem`, BASIC, text(`ec${n}-private-sec1.pem`), { algorithm: alg });
  sign(`key/ec${n}-sec1-params-pem`, BASIC, text(`ec${n}-private-sec1-params.pem`), { algorithm: alg });
  sign(`key/ec${n}-sec1-pem-buffer`, BASIC, buffer(`ec${n}-private-sec1.pem`), { algorithm: alg });
  sign(`key/ec${n}-jwk`, BASIC, jwk(`ec${n}-private.jwk.json`), { algorithm: alg });
  sign(`key/ec${n}-der-buffer`, BASIC, buffer(`ec${n}-private-pkcs8.der`), { algorithm: alg });
}
sign('key/ec256-encrypted-pkcs8', BASIC, withPassphrase('ec256-private-pkcs8-encrypted.pem', 'qlik-jwt-test'), { algorithm: 'ES256' });
sign('key/ec256-encrypted-pkcs8-aes128-sha1', BASIC, withPassphrase('ec256-private-pkcs8-encrypted-aes128-sha1.pem', 'qlik-jwt-test'), { algorithm: 'ES256' });
sign('key/ec256-private-HS256', BASIC, text('ec256-private-pkcs8.pem'), { algorithm: 'HS256' });
sign('key/secret-string', BASIC, value('secret'), undefined);
sign('key/secret-unicode-string', BASIC, value('sécret 🔑'), undefined);
sign('key/secret-long-string', BASIC, value('k'.repeat(200)), { algorithm: 'HS512' });
sign('key/secret-buffer', BASIC, value(Buffer.from('secret')), undefined);
sign('key/secret-buffer-binary', BASIC, value(Buffer.from([0, 1, 2, 0xfe, 0xff, 0x80, 0x7f])), { algorithm: 'HS384' });
sign('key/secret-one-char', BASIC, value('x'), undefined);
for (const [name, v] of [['undefined', undefined], ['null', null], ['empty-string', ''], ['zero', 0], ['false', false]]) {
  sign(`key/missing/${name}`, BASIC, value(v), undefined);
}
sign('key/missing/empty-buffer', BASIC, value(Buffer.alloc(0)), undefined,
  { note: 'an empty Buffer is truthy: it is an (empty) HMAC secret' });
sign('key/missing/RS256', BASIC, value(undefined), RS);
for (const [name, v] of [['number', 123], ['true', true], ['object', { foo: 'bar' }], ['array', [1, 2]]]) {
  sign(`key/invalid/${name}`, BASIC, value(v), undefined);
}

// Key type and size.
sign('keytype/RS256-with-secret', BASIC, SECRET, RS);
sign('keytype/PS256-with-secret', BASIC, SECRET, { algorithm: 'PS256' });
sign('keytype/ES256-with-secret', BASIC, SECRET, { algorithm: 'ES256' });
sign('keytype/HS256-with-ec-key', BASIC, text('ec256-private-pkcs8.pem'), { algorithm: 'HS256' });
sign('keytype/RS256-with-ec-key', BASIC, text('ec256-private-pkcs8.pem'), RS);
sign('keytype/PS256-with-ec-key', BASIC, text('ec256-private-pkcs8.pem'), { algorithm: 'PS256' });
sign('keytype/ES256-with-rsa-key', BASIC, RSA, { algorithm: 'ES256' });
sign('keytype/ES256-with-ec384-key', BASIC, text('ec384-private-pkcs8.pem'), { algorithm: 'ES256' });
sign('keytype/ES384-with-ec256-key', BASIC, text('ec256-private-pkcs8.pem'), { algorithm: 'ES384' });
sign('keytype/ES512-with-ec384-key', BASIC, text('ec384-private-pkcs8.pem'), { algorithm: 'ES512' });
sign('keytype/ES256-with-secp256k1', BASIC, text('secp256k1-private-pkcs8.pem'), { algorithm: 'ES256' });
sign('keytype/ES256-with-secp256k1-sec1', BASIC, text('secp256k1-private-sec1.pem'), { algorithm: 'ES256' });
sign('keytype/ES256-with-ed25519', BASIC, text('ed25519-private-pkcs8.pem'), { algorithm: 'ES256' });
sign('keytype/RS256-with-ed25519', BASIC, text('ed25519-private-pkcs8.pem'), RS);
sign('keytype/RS256-rsa1024', BASIC, text('rsa1024-private-pkcs8.pem'), RS);
sign('keytype/PS256-rsa1024', BASIC, text('rsa1024-private-pkcs8.pem'), { algorithm: 'PS256' });
sign('keytype/RS512-rsa1024', BASIC, text('rsa1024-private-pkcs8.pem'), { algorithm: 'RS512' });
sign('keytype/RS256-rsa1024-allowed', BASIC, text('rsa1024-private-pkcs8.pem'), { algorithm: 'RS256', allowInsecureKeySizes: true });
sign('keytype/PS256-rsa1024-allowed', BASIC, text('rsa1024-private-pkcs8.pem'), { algorithm: 'PS256', allowInsecureKeySizes: true });
sign('keytype/RS256-rsa1024-allowed-false', BASIC, text('rsa1024-private-pkcs8.pem'), { algorithm: 'RS256', allowInsecureKeySizes: false });
sign('keytype/RS256-ec-key-invalid-types-allowed-but-key-check', BASIC, SECRET, { algorithm: 'RS256', allowInvalidAsymmetricKeyTypes: true },
  { note: 'allowInvalidAsymmetricKeyTypes does not lift the secret/asymmetric check' });
sign('keytype/RS256-invalid-types-allowed-valid-key', BASIC, RSA, { algorithm: 'RS256', allowInvalidAsymmetricKeyTypes: true });
sign('keytype/algorithm-RS999-with-secret', BASIC, SECRET, { algorithm: 'RS999' },
  { note: 'the key check runs on the prefix before the options are validated' });
sign('keytype/algorithm-HS999-with-rsa-key', BASIC, RSA, { algorithm: 'HS999' });
sign('keytype/algorithm-HS999-with-secret', BASIC, SECRET, { algorithm: 'HS999' });

// Payload kinds.
sign('payload/nested', {
  user: { id: 42, roles: ['a', 'b'], meta: { active: true, score: null, tags: [] } },
  list: [1, 'two', [3, [4]], { five: 5 }], empty: {},
}, SECRET, undefined);
sign('payload/unicode', {
  name: 'Jürgen Größe', cjk: '日本語', emoji: '😀👍🏽', rtl: 'שלום', combining: 'e\u0301',
}, SECRET, undefined);
sign('payload/escapes', {
  quote: 'say "hi"', backslash: 'a\\b', slash: 'a/b', newline: 'a\nb', tab: 'a\tb', cr: 'a\rb',
  controls: '\u0000\u0001\u0008\u000b\u000c\u001f', del: '\u007f', separators: '\u2028\u2029',
  html: '<script>&amp;</script>',
}, SECRET, undefined);
sign('payload/unicode-keys', { 'ключ': 1, '키': 2, 'a b': 3, '': 4 }, SECRET, undefined);
sign('payload/numbers', {
  big: 1e21, bigger: 1.5e300, max: Number.MAX_VALUE, tiny: 5e-324, small: 0.1, sum: 0.1 + 0.2,
  negzero: -0, unsafe: 9007199254740993, maxsafe: Number.MAX_SAFE_INTEGER, neg: -1.5e-7,
  e7: 1e-7, e6: 0.000001, int: 123456789012345680000, third: 1 / 3, negint: -42,
}, SECRET, undefined);
sign('payload/number-formatting', {
  list: [1e20, 1e21, 1.2345e21, 123e-20, 1e-6, 1e-7, 1.5e-6, 2 ** 53, 2 ** 64, -1e-7, 4.35, 0.1 + 0.7,
    1 / 7, 2.2250738585072014e-308, 100, 12345678.9, 0.5, -0.000001, 1e300, 7e-10, 123456789012345.67],
}, SECRET, { algorithm: 'HS512' }, { note: 'JSON.stringify number formatting (shortest round trip, exponent thresholds)' });
sign('payload/nonfinite-numbers', { nan: NaN, inf: Infinity, neginf: -Infinity }, SECRET, undefined,
  { note: 'JSON.stringify writes null for NaN and the infinities' });
sign('payload/undefined-values', { a: undefined, b: 1, c: [undefined, 2], d: { e: undefined } }, SECRET, undefined,
  { note: 'undefined object members are left out; undefined array items become null' });
sign('payload/array-index-keys', { b: 1, 10: 'ten', 2: 'two', a: 2, '-1': 'minus', '01': 'lead', 4294967295: 'big' }, SECRET, undefined,
  { note: 'listed in JavaScript property order: array-index keys first, ascending' });
sign('payload/empty-object', {}, SECRET, undefined);
sign('payload/string', 'hello world', SECRET, undefined);
sign('payload/string-json-text', '{"sub":"x","iat":1}', SECRET, undefined);
sign('payload/string-empty', '', SECRET, undefined);
sign('payload/string-unicode', 'héllo 😀', SECRET, undefined);
sign('payload/string-with-keyid', 'hello', SECRET, { keyid: 'k1' });
sign('payload/string-with-header-typ', 'hello', SECRET, { header: { typ: 'JWT' } });
sign('payload/string-with-expiresIn', 'hello', SECRET, { expiresIn: 60 });
sign('payload/string-with-many-claim-options', 'hello', SECRET, { jwtid: 'j', audience: 'a', expiresIn: 60, noTimestamp: true, issuer: 'i', subject: 's', notBefore: 1 },
  { note: 'the options are named in jsonwebtoken\'s fixed order' });
sign('payload/buffer', Buffer.from('{"raw":"bytes"}'), SECRET, undefined);
sign('payload/buffer-binary', Buffer.from([0x00, 0x01, 0xff, 0xfe, 0xc3, 0xa9, 0x80]), SECRET, undefined,
  { note: 'jws decodes a Buffer as UTF-8 before encoding: invalid bytes become U+FFFD' });
sign('payload/buffer-empty', Buffer.alloc(0), SECRET, undefined);
sign('payload/buffer-with-expiresIn', Buffer.from('x'), SECRET, { expiresIn: 60 });
sign('payload/buffer-RS256', Buffer.from('bytes'), RSA, RS);
sign('payload/number', 123, SECRET, undefined);
sign('payload/number-with-expiresIn', 123, SECRET, { expiresIn: 60 });
sign('payload/boolean', true, SECRET, undefined);
sign('payload/null', null, SECRET, undefined);
sign('payload/array', [1, 2, 3], SECRET, undefined);
sign('payload/undefined', undefined, SECRET, undefined);
sign('payload/undefined-bad-key', undefined, RSA, { algorithm: 'HS256' },
  { note: 'the key check comes before the payload check' });
sign('payload/iat-given', { sub: 'x', iat: 1600000000 }, SECRET, { expiresIn: '1h', notBefore: 60 });
sign('payload/iat-given-keeps-position', { a: 1, iat: 1600000000, b: 2 }, SECRET, undefined);
sign('payload/iat-zero-replaced', { iat: 0, a: 1 }, SECRET, { expiresIn: 10 });
sign('payload/iat-fractional', { iat: 1600000000.7 }, SECRET, { expiresIn: 10, notBefore: '1.5s' });
sign('payload/iat-negative', { iat: -100 }, SECRET, { expiresIn: 10 });
sign('payload/iat-string', { iat: '1600000000' }, SECRET, undefined);
sign('payload/iat-undefined', { iat: undefined }, SECRET, undefined,
  { note: 'a present-but-undefined iat fails the number check' });
sign('payload/iat-nan', { iat: NaN }, SECRET, undefined);
sign('payload/exp-given', { exp: 1700003600 }, SECRET, undefined);
sign('payload/exp-string', { exp: 'tomorrow' }, SECRET, undefined);
sign('payload/exp-null', { exp: null }, SECRET, undefined);
sign('payload/exp-undefined-with-expiresIn', { exp: undefined, a: 1 }, SECRET, { expiresIn: 60 },
  { note: 'a present-but-undefined exp fails the number check' });
sign('payload/nbf-given', { nbf: 1699999970 }, SECRET, undefined);
sign('payload/nbf-boolean', { nbf: true }, SECRET, undefined);
sign('payload/nbf-undefined-with-notBefore', { nbf: undefined, a: 1 }, SECRET, { notBefore: '1s' },
  { note: 'a present-but-undefined nbf fails the number check' });
sign('payload/aud-undefined-keeps-position', { aud: undefined, a: 1 }, SECRET, { audience: 'urn:a' },
  { note: 'aud is not type-checked: it takes the audience at its first position' });
sign('payload/registered-claims-in-order', { z: 1, jti: 'j', sub: 's', iss: 'i', aud: 'a', exp: 1700003600, nbf: 1699999990, a: 2 }, SECRET, undefined);
sign('payload/qlik-claims-as-payload', { iss: 'https://my-custom-jwt', aud: 'urn:x', sub: 'u', jti: 'j', nbf: 1699999970, exp: 1700000270 }, RSA, RS);

// Time spans: expiresIn and notBefore.
const SPANS = [
  ['int-60', 60], ['int-0', 0], ['int-negative', -60], ['int-huge', 1e21],
  ['ms-digits', '60'], ['ms-digits-1500', '1500'], ['s', '90s'], ['m', '5m'], ['h', '2h'], ['d', '1d'],
  ['w', '1w'], ['y', '1y'], ['long-days', '10 days'], ['long-hours', '2 hours'], ['long-hour', '1 hour'],
  ['mins', '3 mins'], ['min', '1min'], ['secs', '45 secs'], ['sec', '1sec'], ['msecs', '2000 msecs'],
  ['ms-unit', '2500ms'], ['milliseconds', '3000 milliseconds'], ['yrs', '2 yrs'], ['years', '1 year'],
  ['hrs', '2hrs'], ['weeks', '2 weeks'], ['upper', '1H'], ['mixed-case', '2 Days'], ['decimal', '1.5h'],
  ['leading-dot', '.5m'], ['negative', '-1h'], ['negative-decimal', '-1.5d'], ['spaces', '5   m'],
  ['zero-s', '0s'], ['fraction-floor', '1.9s'], ['negative-ms', '-500'],
];
for (const [name, span] of SPANS) {
  sign(`expiresIn/${name}`, { sub: 'x' }, SECRET, { expiresIn: span });
  sign(`notBefore/${name}`, { sub: 'x' }, SECRET, { notBefore: span });
}
const BAD_SPANS = [
  ['leading-space', ' 1h'], ['trailing-space', '1h '], ['unknown-unit', '1 fortnight'], ['exponent', '1e3'],
  ['letters', 'abc'], ['plus-sign', '+1h'], ['too-long', '1'.repeat(101)], ['double-dot', '1.2.3s'],
  ['just-unit', 'h'], ['minus-only', '-'], ['comma', '1,5h'],
];
for (const [name, span] of BAD_SPANS) {
  sign(`expiresIn/invalid/${name}`, { sub: 'x' }, SECRET, { expiresIn: span });
  sign(`notBefore/invalid/${name}`, { sub: 'x' }, SECRET, { notBefore: span });
}
sign('expiresIn/long-100-chars', { sub: 'x' }, SECRET, { expiresIn: '1'.repeat(99) + 's' },
  { note: 'exactly 100 characters is still parsed' });
for (const [name, span] of [['empty', ''], ['fraction', 1.5], ['boolean', true], ['null', null], ['object', {}], ['nan', NaN], ['infinity', Infinity]]) {
  sign(`expiresIn/type/${name}`, { sub: 'x' }, SECRET, { expiresIn: span });
  sign(`notBefore/type/${name}`, { sub: 'x' }, SECRET, { notBefore: span });
}
sign('expiresIn/undefined', { sub: 'x' }, SECRET, { expiresIn: undefined });
sign('expiresIn/with-noTimestamp', { sub: 'x' }, SECRET, { expiresIn: '1h', noTimestamp: true });
sign('expiresIn/and-notBefore', { sub: 'x' }, SECRET, { expiresIn: '10m', notBefore: '-30s' });
sign('expiresIn/other-clock', { sub: 'x' }, SECRET, { expiresIn: 1 }, { now_ms: 1234567890999 });
sign('expiresIn/clock-before-epoch-second', { sub: 'x' }, SECRET, { expiresIn: '1.5s' }, { now_ms: 999 });

// Options: audience, issuer, subject, jwtid, keyid, header, noTimestamp, encoding, mutatePayload.
sign('options/audience-string', { a: 1 }, SECRET, { audience: 'urn:aud' });
sign('options/audience-array', { a: 1 }, SECRET, { audience: ['urn:a', 'urn:b'] });
sign('options/audience-empty-array', { a: 1 }, SECRET, { audience: [] });
sign('options/audience-empty-string', { a: 1 }, SECRET, { audience: '' });
sign('options/audience-mixed-array', { a: 1 }, SECRET, { audience: ['urn:a', 1, null] },
  { note: 'array items are not checked' });
sign('options/audience-number', { a: 1 }, SECRET, { audience: 123 });
sign('options/audience-object', { a: 1 }, SECRET, { audience: { x: 1 } });
sign('options/issuer', { a: 1 }, SECRET, { issuer: 'https://my-custom-jwt' });
sign('options/issuer-empty', { a: 1 }, SECRET, { issuer: '' });
sign('options/issuer-number', { a: 1 }, SECRET, { issuer: 1 });
sign('options/subject', { a: 1 }, SECRET, { subject: 'user-1' });
sign('options/subject-number', { a: 1 }, SECRET, { subject: 1 });
sign('options/jwtid', { a: 1 }, SECRET, { jwtid: 'k5bU_cFI4_-vFfpJ3DjDsIZK-ZhJGRbBfusUWZ0ifBI' });
sign('options/jwtid-number', { a: 1 }, SECRET, { jwtid: 12345 });
sign('options/keyid', { a: 1 }, SECRET, { keyid: 'my-custom-jwt' });
sign('options/keyid-empty', { a: 1 }, SECRET, { keyid: '' });
sign('options/keyid-number', { a: 1 }, SECRET, { keyid: 7 });
sign('options/keyid-undefined', { a: 1 }, SECRET, { keyid: undefined });
sign('options/header-extras', { a: 1 }, SECRET, { header: { x5t: 'thumb', cty: 'JWT', custom: { n: [1, 2] } } });
sign('options/header-kid-overrides-keyid', { a: 1 }, SECRET, { keyid: 'from-keyid', header: { kid: 'from-header' } });
sign('options/header-kid-undefined-removes-keyid', { a: 1 }, SECRET, { keyid: 'from-keyid', header: { kid: undefined } },
  { note: 'Object.assign copies the undefined kid over the keyid' });
sign('options/header-typ-override', { a: 1 }, SECRET, { header: { typ: 'at+jwt' } });
sign('options/header-typ-undefined', { a: 1 }, SECRET, { header: { typ: undefined } });
sign('options/header-typ-null', { a: 1 }, SECRET, { header: { typ: null } });
sign('options/header-alg-override', { a: 1 }, SECRET, { algorithm: 'HS256', header: { alg: 'HS512' } },
  { note: 'the header alg wins and is the one used to sign' });
sign('options/header-alg-override-without-algorithm', { a: 1 }, SECRET, { header: { alg: 'HS384' } });
sign('options/header-alg-RS256-with-secret', { a: 1 }, SECRET, { header: { alg: 'RS256' } });
sign('options/header-alg-none-with-secret', { a: 1 }, SECRET, { header: { alg: 'none' } },
  { note: 'header alg none skips the key checks and signs nothing' });
sign('options/header-alg-RS256-with-rsa-key', { a: 1 }, RSA, { algorithm: 'HS256', header: { alg: 'RS256' } });
sign('options/header-alg-unknown', { a: 1 }, SECRET, { header: { alg: 'XX256' } });
sign('options/header-order', { a: 1 }, SECRET, { keyid: 'k', header: { z: 1, typ: 'JWT', a: 2, alg: 'HS256' } });
sign('options/header-unicode', { a: 1 }, SECRET, { header: { note: 'é€😀' } },
  { note: 'jws encodes the header as latin1 ("binary"): each UTF-16 unit keeps its low byte' });
sign('options/header-empty', { a: 1 }, SECRET, { header: {} });
sign('options/header-string', { a: 1 }, SECRET, { header: 'x' });
sign('options/header-array', { a: 1 }, SECRET, { header: [] });
sign('options/header-null', { a: 1 }, SECRET, { header: null });
sign('options/noTimestamp', { a: 1 }, SECRET, { noTimestamp: true });
sign('options/noTimestamp-false', { a: 1 }, SECRET, { noTimestamp: false });
sign('options/noTimestamp-with-iat', { a: 1, iat: 1600000000 }, SECRET, { noTimestamp: true, expiresIn: 60 },
  { note: 'iat is removed but still the base of exp' });
sign('options/noTimestamp-string', { a: 1 }, SECRET, { noTimestamp: 'yes' });
for (const enc of ['utf8', 'utf-8', 'UTF8', 'ascii', 'latin1', 'binary', 'utf16le', 'ucs2', 'hex', 'base64', 'base64url']) {
  sign(`options/encoding-${enc}`, { name: 'Jürgen 日本 😀' }, SECRET, { encoding: enc });
}
sign('options/encoding-latin1-string-payload', 'héllo €', SECRET, { encoding: 'latin1' });
sign('options/encoding-hex-string-payload', 'deadbeef', SECRET, { encoding: 'hex' });
sign('options/encoding-number', { a: 1 }, SECRET, { encoding: 8 });
sign('options/encoding-empty', { name: 'é' }, SECRET, { encoding: '' },
  { note: 'an empty encoding means utf8' });
sign('options/mutatePayload', { a: 1 }, SECRET, { mutatePayload: true, expiresIn: 5 });
sign('options/mutatePayload-string', { a: 1 }, SECRET, { mutatePayload: 'yes' });
sign('options/allowInsecureKeySizes-string', { a: 1 }, SECRET, { allowInsecureKeySizes: 'yes' });
sign('options/allowInvalidAsymmetricKeyTypes-number', { a: 1 }, SECRET, { allowInvalidAsymmetricKeyTypes: 1 });
sign('options/unknown', { a: 1 }, SECRET, { foo: 1 });
sign('options/unknown-case', { a: 1 }, SECRET, { expiresin: '1h' });
sign('options/unknown-clockTolerance', { a: 1 }, SECRET, { clockTolerance: 5 },
  { note: 'a verify option is not a sign option' });
sign('options/algorithm-lowercase', { a: 1 }, SECRET, { algorithm: 'hs256' });
sign('options/algorithm-unknown', { a: 1 }, SECRET, { algorithm: 'HS257' });
sign('options/algorithm-empty', { a: 1 }, SECRET, { algorithm: '' },
  { note: 'the header falls back to HS256 but the option still fails validation' });
sign('options/algorithm-number', { a: 1 }, SECRET, { algorithm: 256 },
  { note: 'jsonwebtoken fails inside its own key check (a TypeError from the JavaScript engine)' });
sign('options/not-an-object-string', { a: 1 }, SECRET, 'HS256');
sign('options/not-an-object-array', { a: 1 }, SECRET, []);
sign('options/not-an-object-number', { a: 1 }, SECRET, 5);
sign('options/first-invalid-wins-1', { a: 1 }, SECRET, { issuer: 1, subject: 2 });
sign('options/first-invalid-wins-2', { a: 1 }, SECRET, { subject: 2, issuer: 1 });
sign('options/unknown-after-invalid', { a: 1 }, SECRET, { keyid: 1, bogus: true });
sign('options/every-option', { a: 1 }, SECRET, {
  algorithm: 'HS384', expiresIn: '2h', notBefore: '-1m', audience: ['urn:a', 'urn:b'], issuer: 'iss',
  subject: 'sub', jwtid: 'jti', keyid: 'kid', header: { x: 'y' }, noTimestamp: false, encoding: 'utf8',
  mutatePayload: false, allowInsecureKeySizes: false, allowInvalidAsymmetricKeyTypes: false,
});
sign('options/every-option-RS256', { a: 1 }, RSA, {
  algorithm: 'RS256', expiresIn: 300, notBefore: 0, audience: 'urn:a', issuer: 'iss', subject: 'sub',
  jwtid: 'jti', keyid: 'kid', header: { typ: 'JWT', kid: 'kid2' },
});

// Conflicts between options and claims already in the payload.
sign('conflict/exp', { exp: 1700003600 }, SECRET, { expiresIn: 60 });
sign('conflict/nbf', { nbf: 1700000000 }, SECRET, { notBefore: 60 });
sign('conflict/aud', { aud: 'x' }, SECRET, { audience: 'y' });
sign('conflict/iss', { iss: 'x' }, SECRET, { issuer: 'y' });
sign('conflict/sub', { sub: 'x' }, SECRET, { subject: 'y' });
sign('conflict/jti', { jti: 'x' }, SECRET, { jwtid: 'y' });
sign('conflict/aud-null', { aud: null }, SECRET, { audience: 'y' }, { note: 'null is not undefined' });
sign('conflict/sub-undefined-is-fine', { sub: undefined }, SECRET, { subject: 'y' });
sign('conflict/exp-before-invalid-option', { exp: 1 }, SECRET, { expiresIn: 60, issuer: 5 },
  { note: 'the conflict is reported before option validation' });
sign('conflict/exp-with-invalid-expiresIn', { exp: 1 }, SECRET, { expiresIn: 'abc' });
sign('conflict/issuer-and-subject', { iss: 'x', sub: 'y' }, SECRET, { subject: 'b', issuer: 'a' },
  { note: 'audience, issuer, subject, jwtid are checked in that fixed order' });
sign('conflict/exp-invalid-payload-first', { exp: 'x' }, SECRET, { expiresIn: 60 });
sign('conflict/nbf-with-string-payload', 'x', SECRET, { notBefore: 1 });

// The Qlik tutorial, exactly: its payload, its options and an RS256 4096-bit key from
// `openssl genrsa 4096`. The jti is the tutorial's sample value instead of a random one.
const QLIK_PAYLOAD = {
  jti: 'k5bU_cFI4_-vFfpJ3DjDsIZK-ZhJGRbBfusUWZ0ifBI',
  sub: '0hEhiPyhMBdtOCv2UZKoLo4G24p-7R6eeGdZUQHF0-c',
  subType: 'user',
  name: 'Hardcore Harry',
  email: '',
  email_verified: true,
  groups: ['Administrators', 'Sales', 'Marketing'],
};
const QLIK_OPTIONS = {
  keyid: 'my-custom-jwt',
  algorithm: 'RS256',
  issuer: 'https://my-custom-jwt',
  expiresIn: '5m',
  notBefore: '0s',
  audience: 'qlik.api/login/jwt-session',
};
sign('qlik/tutorial-example', QLIK_PAYLOAD, text('rsa4096-privatekey.pem'), QLIK_OPTIONS);
sign('qlik/tutorial-example-buffer-key', QLIK_PAYLOAD, buffer('rsa4096-privatekey.pem'), QLIK_OPTIONS,
  { note: 'as in the tutorial: fs.readFileSync without an encoding' });
sign('qlik/tutorial-sample-options', QLIK_PAYLOAD, text('rsa4096-privatekey.pem'), { ...QLIK_OPTIONS, notBefore: '1s' },
  { note: 'the options block of the tutorial text (notBefore "1s")' });

// ---------------------------------------------------------------------------------------------
// Verify vectors

const EC256 = text('ec256-private-pkcs8.pem');
const PUB = {
  rsa: text('rsa2048-public-spki.pem'),
  ec256: text('ec256-public-spki.pem'),
  ec384: text('ec384-public-spki.pem'),
  ec521: text('ec521-public-spki.pem'),
};
const PUB_FOR_ALG = {
  HS256: SECRET, HS384: SECRET, HS512: SECRET,
  RS256: PUB.rsa, RS384: PUB.rsa, RS512: PUB.rsa, PS256: PUB.rsa, PS384: PUB.rsa, PS512: PUB.rsa,
  ES256: PUB.ec256, ES384: PUB.ec384, ES512: PUB.ec521,
};
const CLAIMS = { sub: 'user-1', name: 'Jane', email_verified: true };

// Valid tokens, every algorithm, and every wrong key kind against them.
const tokens = {};
for (const [alg, key] of Object.entries(ALG_KEYS)) {
  tokens[alg] = makeToken(CLAIMS, key, { algorithm: alg, expiresIn: '1h' });
  verify(`valid/${alg}`, tokens[alg], PUB_FOR_ALG[alg], undefined);
  verify(`valid/${alg}/complete`, tokens[alg], PUB_FOR_ALG[alg], { complete: true });
  verify(`valid/${alg}/explicit-algorithms`, tokens[alg], PUB_FOR_ALG[alg], { algorithms: [alg] });
  verify(`tampered/${alg}/signature`, flipFirstSignatureChar(tokens[alg]), PUB_FOR_ALG[alg], undefined);
  verify(`tampered/${alg}/payload`, replacePayload(tokens[alg], { ...CLAIMS, sub: 'admin' }), PUB_FOR_ALG[alg], undefined);
  verify(`tampered/${alg}/header`, replaceHeader(tokens[alg], { alg, typ: 'JWT', kid: 'x' }), PUB_FOR_ALG[alg], undefined);
  verify(`tampered/${alg}/no-signature`, tokens[alg].split('.').slice(0, 2).join('.') + '.', PUB_FOR_ALG[alg], undefined);
  verify(`tampered/${alg}/no-signature-none-allowed`, tokens[alg].split('.').slice(0, 2).join('.') + '.', value(undefined), { algorithms: ['none'] },
    { note: 'the token header still says ' + alg });
  verify(`missing-key/${alg}`, tokens[alg], value(undefined), undefined);
}
verify('valid/RS256/private-key-pem', tokens.RS256, RSA, undefined,
  { note: 'a private key verifies through its public half' });
verify('valid/RS256/pkcs1-private-pem', tokens.RS256, text('rsa2048-private-pkcs1.pem'), undefined);
verify('valid/RS256/pkcs1-public-pem', tokens.RS256, text('rsa2048-public-pkcs1.pem'), undefined);
verify('valid/RS256/cert-pem', tokens.RS256, text('rsa2048-cert.pem'), undefined);
verify('valid/RS256/cert-pem-buffer', tokens.RS256, buffer('rsa2048-cert.pem'), undefined);
verify('valid/RS256/public-jwk', tokens.RS256, jwk('rsa2048-public.jwk.json'), undefined);
verify('valid/RS256/private-jwk', tokens.RS256, jwk('rsa2048-private.jwk.json'), undefined);
verify('valid/RS256/encrypted-private-key', tokens.RS256, withPassphrase('rsa2048-private-pkcs8-encrypted.pem', 'qlik-jwt-test'), undefined);
verify('valid/PS256/rsa-pss-public-key', makeToken(CLAIMS, text('rsapss2048-sha256-private-pkcs8.pem'), { algorithm: 'PS256' }),
  text('rsapss2048-sha256-public-spki.pem'), undefined);
verify('valid/ES256/cert-pem', tokens.ES256, text('ec256-cert.pem'), undefined);
verify('valid/ES256/sec1-private-pem', tokens.ES256, text('ec256-private-sec1.pem'), undefined);
verify('valid/ES256/public-jwk', tokens.ES256, jwk('ec256-public.jwk.json'), undefined);
verify('valid/ES512/public-jwk', tokens.ES512, jwk('ec521-public.jwk.json'), undefined);
verify('valid/HS256/buffer-secret', makeToken(CLAIMS, value(Buffer.from([1, 2, 3, 250])), undefined), value(Buffer.from([1, 2, 3, 250])), undefined);
verify('valid/HS256/public-pem-text-signed', makeToken(CLAIMS, text('rsa2048-public-spki.pem'), undefined),
  text('rsa2048-public-spki.pem'), { algorithms: ['HS256'] },
  { note: 'jsonwebtoken signs with a public PEM as a secret, but verify parses it as a public key' });
verify('key/RS256-spki-der-buffer', tokens.RS256, buffer('rsa2048-public-spki.der'), undefined,
  { note: 'a DER Buffer is a secret to jsonwebtoken: HS algorithms by default' });
verify('key/RS256-spki-der-buffer-algorithms', tokens.RS256, buffer('rsa2048-public-spki.der'), { algorithms: ['RS256'] });
verify('key/RS256-wrong-rsa-key', tokens.RS256, text('rsa4096-publickey.cer'), undefined);
verify('key/RS256-rsa1024-key', tokens.RS256, text('rsa1024-public-spki.pem'), undefined);
verify('key/HS256-wrong-secret', tokens.HS256, value('not the secret'), undefined);
verify('key/HS256-with-rsa-public-key', tokens.HS256, PUB.rsa, undefined,
  { note: 'RSA keys default to RS/PS algorithms' });
verify('key/HS256-with-rsa-public-key-allowed', tokens.HS256, PUB.rsa, { algorithms: ['HS256'] });
verify('key/HS256-with-rsa-public-key-text-as-secret', makeToken(CLAIMS, value(fs.readFileSync(path.join(KEYS_DIR, 'rsa2048-public-spki.pem'), 'utf8')), undefined),
  PUB.rsa, { algorithms: ['HS256', 'RS256'] }, { note: 'CVE-2022-23540 / 23541: never accepted' });
verify('key/RS256-with-secret', tokens.RS256, SECRET, undefined);
verify('key/RS256-with-secret-allowed', tokens.RS256, SECRET, { algorithms: ['RS256'] });
verify('key/RS256-with-ec-key', tokens.RS256, PUB.ec256, undefined);
verify('key/RS256-with-ec-key-allowed', tokens.RS256, PUB.ec256, { algorithms: ['RS256'] });
verify('key/ES256-with-rsa-key', tokens.ES256, PUB.rsa, undefined);
verify('key/ES256-with-rsa-key-allowed', tokens.ES256, PUB.rsa, { algorithms: ['ES256'] });
verify('key/ES256-with-ec384-key', tokens.ES256, PUB.ec384, { algorithms: ['ES256'] });
verify('key/ES256-with-ec384-key-default', tokens.ES256, PUB.ec384, undefined);
verify('key/ES256-with-secp256k1', tokens.ES256, text('secp256k1-public-spki.pem'), undefined);
verify('key/RS256-with-ed25519', tokens.RS256, text('ed25519-public-spki.pem'), undefined,
  { note: 'ed25519 keys default to RS/PS algorithms, then the key type check fails' });
verify('key/RS256-with-rsa-pss-key', tokens.RS256, text('rsapss2048-sha256-public-spki.pem'), undefined);
verify('key/PS256-with-rsa-pss-key-no-params', tokens.PS256, text('rsapss2048-public-spki.pem'), undefined);
verify('key/ES256-with-other-ec256-key', tokens.ES256, text('secp256k1-public-spki.pem'), { algorithms: ['ES256'], allowInvalidAsymmetricKeyTypes: false });
verify('key/invalid-number', tokens.HS256, value(123), undefined);
verify('key/invalid-object', tokens.HS256, value({ foo: 1 }), undefined);
verify('key/empty-string', tokens.HS256, value(''), undefined);
verify('key/null', tokens.HS256, value(null), undefined);
verify('key/RS256-private-with-HS256-allowed', tokens.HS256, RSA, { algorithms: ['HS256'] });
verify('key/algorithms-not-including', tokens.RS384, PUB.rsa, { algorithms: ['RS256'] });
verify('key/algorithms-empty', tokens.HS256, SECRET, { algorithms: [] });
verify('key/algorithms-several', tokens.PS512, PUB.rsa, { algorithms: ['RS256', 'PS512'] });
verify('key/algorithms-as-string', tokens.HS256, SECRET, { algorithms: 'HS256' },
  { note: 'algorithms is searched with indexOf, which strings have too' });
verify('key/algorithms-as-string-substring', tokens.HS256, SECRET, { algorithms: 'xHS256x' });
verify('key/algorithms-null-defaults', tokens.HS256, SECRET, { algorithms: null });
verify('key/encrypted-private-key-no-passphrase', tokens.RS256, text('rsa2048-private-pkcs8-encrypted.pem'), undefined,
  { note: 'the encrypted PEM does not parse without its passphrase and becomes a secret' });
verify('key/PS384-with-rsa-pss-sha256-key', makeToken(CLAIMS, RSA, { algorithm: 'PS384' }), text('rsapss2048-sha256-public-spki.pem'), undefined);
verify('key/ES256-truncated-signature', tokens.ES256.slice(0, -4), PUB.ec256, undefined,
  { note: 'jwa throws on an ECDSA signature of the wrong length' });
verify('key/RS256-truncated-signature', tokens.RS256.slice(0, -4), PUB.rsa, undefined);
verify('key/HS256-truncated-signature', tokens.HS256.slice(0, -4), SECRET, undefined);
verify('key/HS256-signature-extra-char', tokens.HS256 + 'A', SECRET, undefined);

// alg none.
const NONE_TOKEN = makeToken(CLAIMS, value(undefined), { algorithm: 'none', expiresIn: '1h' });
verify('none/not-allowed-by-default', NONE_TOKEN, value(undefined), undefined);
verify('none/allowed', NONE_TOKEN, value(undefined), { algorithms: ['none'] });
verify('none/allowed-null-key', NONE_TOKEN, value(null), { algorithms: ['none'] });
verify('none/allowed-with-others', NONE_TOKEN, value(undefined), { algorithms: ['HS256', 'none'] });
verify('none/allowed-complete', NONE_TOKEN, value(undefined), { algorithms: ['none'], complete: true });
verify('none/with-key', NONE_TOKEN, SECRET, undefined);
verify('none/with-key-allowed', NONE_TOKEN, SECRET, { algorithms: ['none'] });
verify('none/algorithms-without-none', NONE_TOKEN, value(undefined), { algorithms: ['HS256'] });
verify('none/expired', makeToken(CLAIMS, value(undefined), { algorithm: 'none', expiresIn: 1 }, NOW_MS - 10000), value(undefined), { algorithms: ['none'] });
verify('none/header-none-with-signature', replaceHeader(tokens.HS256, { alg: 'none', typ: 'JWT' }), SECRET, { algorithms: ['none'] });
verify('none/header-none-with-signature-no-key', replaceHeader(tokens.HS256, { alg: 'none', typ: 'JWT' }), value(undefined), { algorithms: ['none'] });
verify('none/string-payload', makeToken('just text', value(undefined), { algorithm: 'none' }), value(undefined), { algorithms: ['none'] });

// Time: exp, nbf, clockTolerance, clockTimestamp, ignoreExpiration, ignoreNotBefore, maxAge.
// Claims of any type (also ones sign would refuse): the JSON text signed as a string payload,
// with the header jsonwebtoken gives object payloads.
const hs = (payload) => makeToken(JSON.stringify(payload), SECRET, { header: { typ: 'JWT' } });
const timed = (claims) => hs({ sub: 'x', ...claims });
verify('exp/future', timed({ exp: NOW + 1 }), SECRET, undefined);
verify('exp/now', timed({ exp: NOW }), SECRET, undefined, { note: 'expired when now >= exp' });
verify('exp/past', timed({ exp: NOW - 1 }), SECRET, undefined);
verify('exp/long-past', timed({ exp: 1000 }), SECRET, undefined);
verify('exp/fractional', timed({ exp: NOW - 0.5 }), SECRET, undefined);
verify('exp/fractional-ms', timed({ exp: 1699999999.1234 }), SECRET, undefined,
  { note: 'expiredAt is a Date: sub-millisecond digits are truncated' });
verify('exp/now-ms-floor', timed({ exp: NOW + 0.5 }), SECRET, undefined,
  { note: 'the clock is floored to whole seconds first' });
verify('exp/string', timed({ exp: String(NOW + 100) }), SECRET, undefined);
verify('exp/null', timed({ exp: null }), SECRET, undefined);
verify('exp/boolean-ignored', timed({ exp: true }), SECRET, { ignoreExpiration: true });
verify('exp/ignoreExpiration', timed({ exp: NOW - 100 }), SECRET, { ignoreExpiration: true });
verify('exp/ignoreExpiration-false', timed({ exp: NOW - 100 }), SECRET, { ignoreExpiration: false });
verify('exp/clockTolerance-inside', timed({ exp: NOW - 3 }), SECRET, { clockTolerance: 5 });
verify('exp/clockTolerance-edge', timed({ exp: NOW - 5 }), SECRET, { clockTolerance: 5 });
verify('exp/clockTolerance-outside', timed({ exp: NOW - 10 }), SECRET, { clockTolerance: 5 });
verify('exp/clockTolerance-fractional', timed({ exp: NOW - 1 }), SECRET, { clockTolerance: 1.5 });
verify('exp/clockTolerance-negative', timed({ exp: NOW + 5 }), SECRET, { clockTolerance: -10 });
verify('exp/clockTimestamp-before', timed({ exp: NOW - 100 }), SECRET, { clockTimestamp: NOW - 200 });
verify('exp/clockTimestamp-after', timed({ exp: NOW + 100 }), SECRET, { clockTimestamp: NOW + 200 });
verify('exp/clockTimestamp-fractional', timed({ exp: NOW + 100 }), SECRET, { clockTimestamp: NOW + 100.5 });
verify('exp/clockTimestamp-zero-means-now', timed({ exp: NOW - 100 }), SECRET, { clockTimestamp: 0 });
verify('exp/clockTimestamp-string', timed({ exp: NOW + 100 }), SECRET, { clockTimestamp: '1700000000' });
verify('exp/other-clock', timed({ exp: 1234567891 }), SECRET, undefined, { now_ms: 1234567890999 });
verify('nbf/past', timed({ nbf: NOW - 1 }), SECRET, undefined);
verify('nbf/now', timed({ nbf: NOW }), SECRET, undefined);
verify('nbf/future', timed({ nbf: NOW + 1 }), SECRET, undefined);
verify('nbf/fractional', timed({ nbf: NOW + 0.25 }), SECRET, undefined);
verify('nbf/far-future', timed({ nbf: 4102444800 }), SECRET, undefined);
verify('nbf/string', timed({ nbf: 'soon' }), SECRET, undefined);
verify('nbf/ignoreNotBefore', timed({ nbf: NOW + 100 }), SECRET, { ignoreNotBefore: true });
verify('nbf/clockTolerance-inside', timed({ nbf: NOW + 30 }), SECRET, { clockTolerance: 30 });
verify('nbf/clockTolerance-outside', timed({ nbf: NOW + 31 }), SECRET, { clockTolerance: 30 });
verify('nbf/clockTimestamp', timed({ nbf: NOW + 100 }), SECRET, { clockTimestamp: NOW + 100 });
verify('nbf/before-exp-check', timed({ nbf: NOW + 100, exp: NOW - 100 }), SECRET, undefined,
  { note: 'nbf is checked before exp' });
verify('nbf/invalid-ignored', timed({ nbf: 'x', exp: NOW + 10 }), SECRET, { ignoreNotBefore: true });
verify('time/both-valid', timed({ nbf: NOW - 30, exp: NOW + 270, iat: NOW - 30 }), SECRET, undefined);
verify('time/sign-clock', makeToken({ sub: 'x' }, SECRET, { expiresIn: 60, notBefore: -30 }), SECRET, undefined);
verify('time/signed-earlier-expired', makeToken({ sub: 'x' }, SECRET, { expiresIn: '5m' }, NOW_MS - 600000), SECRET, undefined);
verify('time/signed-later-not-active', makeToken({ sub: 'x' }, SECRET, { notBefore: 0 }, NOW_MS + 60000), SECRET, undefined);
verify('maxAge/inside', timed({ iat: NOW - 100 }), SECRET, { maxAge: '1h' });
verify('maxAge/exceeded', timed({ iat: NOW - 7200 }), SECRET, { maxAge: '1h' });
verify('maxAge/exceeded-number', timed({ iat: NOW - 7200 }), SECRET, { maxAge: 3600 });
verify('maxAge/edge', timed({ iat: NOW - 60 }), SECRET, { maxAge: 60 });
verify('maxAge/ms-string', timed({ iat: NOW - 2 }), SECRET, { maxAge: '1500' });
verify('maxAge/clockTolerance', timed({ iat: NOW - 65 }), SECRET, { maxAge: 60, clockTolerance: 10 });
verify('maxAge/no-iat', timed({}), SECRET, { maxAge: '1h' });
verify('maxAge/iat-string', timed({ iat: 'x' }), SECRET, { maxAge: '1h' });
verify('maxAge/iat-zero', timed({ iat: 0 }), SECRET, { maxAge: '1h' },
  { note: 'iat 0 is falsy: the clock is the base' });
verify('maxAge/invalid', timed({ iat: NOW }), SECRET, { maxAge: 'forever' });
verify('maxAge/boolean', timed({ iat: NOW }), SECRET, { maxAge: true });
verify('maxAge/zero-disabled', timed({ iat: 1 }), SECRET, { maxAge: 0 });
verify('maxAge/negative', timed({ iat: NOW }), SECRET, { maxAge: -1 });
verify('maxAge/fractional-iat', timed({ iat: NOW - 3600.5 }), SECRET, { maxAge: '1h' });
verify('maxAge/after-exp-check', timed({ iat: NOW - 7200, exp: NOW - 1 }), SECRET, { maxAge: '1h' });
verify('maxAge/ignoreExpiration-does-not-skip', timed({ iat: NOW - 7200 }), SECRET, { maxAge: '1h', ignoreExpiration: true });

// Claims: audience, issuer, subject, jwtid, nonce.
const claims = (c) => hs({ iat: NOW, ...c });
verify('aud/string-match', claims({ aud: 'urn:a' }), SECRET, { audience: 'urn:a' });
verify('aud/string-mismatch', claims({ aud: 'urn:a' }), SECRET, { audience: 'urn:b' });
verify('aud/array-claim-match', claims({ aud: ['urn:x', 'urn:a'] }), SECRET, { audience: 'urn:a' });
verify('aud/array-claim-mismatch', claims({ aud: ['urn:x', 'urn:y'] }), SECRET, { audience: 'urn:a' });
verify('aud/list-match', claims({ aud: 'urn:a' }), SECRET, { audience: ['urn:b', 'urn:a'] });
verify('aud/list-mismatch', claims({ aud: 'urn:a' }), SECRET, { audience: ['urn:b', 'urn:c'] });
verify('aud/list-both-arrays', claims({ aud: ['urn:1', 'urn:2'] }), SECRET, { audience: ['urn:3', 'urn:2'] });
verify('aud/regexp-match', claims({ aud: 'urn:foo:bar' }), SECRET, { audience: /^urn:foo/ });
verify('aud/regexp-case-insensitive', claims({ aud: 'URN:FOO' }), SECRET, { audience: /^urn:foo$/i });
verify('aud/regexp-mismatch', claims({ aud: 'urn:bar' }), SECRET, { audience: /^urn:foo$/ });
verify('aud/regexp-in-list-mismatch', claims({ aud: 'urn:bar' }), SECRET, { audience: ['urn:x', /^urn:foo$/, /baz/i] });
verify('aud/regexp-in-list-match', claims({ aud: ['a', 'urn:foo'] }), SECRET, { audience: ['urn:x', /^urn:foo$/] });
verify('aud/regexp-escapes', claims({ aud: 'https://x.example/a' }), SECRET, { audience: /^https:\/\/x\.example\/a$/ });
verify('aud/missing-claim', claims({}), SECRET, { audience: 'urn:a' });
verify('aud/missing-claim-regexp-undefined', claims({}), SECRET, { audience: /^undefined$/ },
  { note: 'a missing aud is tested as the string "undefined"' });
verify('aud/empty-option-skips', claims({ aud: 'urn:a' }), SECRET, { audience: '' });
verify('aud/empty-list', claims({ aud: 'urn:a' }), SECRET, { audience: [] },
  { note: 'an empty list is truthy and matches nothing' });
verify('aud/number-claim', claims({ aud: 1 }), SECRET, { audience: '1' });
verify('aud/qlik', claims({ aud: 'qlik.api/login/jwt-session' }), SECRET, { audience: 'qlik.api/login/jwt-session' });
verify('iss/match', claims({ iss: 'https://my-custom-jwt' }), SECRET, { issuer: 'https://my-custom-jwt' });
verify('iss/mismatch', claims({ iss: 'https://other' }), SECRET, { issuer: 'https://my-custom-jwt' });
verify('iss/missing', claims({}), SECRET, { issuer: 'iss' });
verify('iss/list-match', claims({ iss: 'b' }), SECRET, { issuer: ['a', 'b'] });
verify('iss/list-mismatch', claims({ iss: 'c' }), SECRET, { issuer: ['a', 'b'] });
verify('iss/empty-option-skips', claims({ iss: 'c' }), SECRET, { issuer: '' });
verify('sub/match', claims({ sub: 'u1' }), SECRET, { subject: 'u1' });
verify('sub/mismatch', claims({ sub: 'u1' }), SECRET, { subject: 'u2' });
verify('sub/missing', claims({}), SECRET, { subject: 'u2' });
verify('jti/match', claims({ jti: 'j1' }), SECRET, { jwtid: 'j1' });
verify('jti/mismatch', claims({ jti: 'j1' }), SECRET, { jwtid: 'j2' });
verify('jti/number-claim', claims({ jti: 1 }), SECRET, { jwtid: '1' });
verify('nonce/match', claims({ nonce: 'n1' }), SECRET, { nonce: 'n1' });
verify('nonce/mismatch', claims({ nonce: 'n1' }), SECRET, { nonce: 'n2' });
verify('nonce/missing', claims({}), SECRET, { nonce: 'n2' });
verify('nonce/empty', claims({ nonce: '' }), SECRET, { nonce: '' });
verify('nonce/blank', claims({ nonce: '  ' }), SECRET, { nonce: '  ' });
verify('nonce/number', claims({ nonce: 1 }), SECRET, { nonce: 1 });
verify('claims/order-aud-first', claims({ aud: 'x', iss: 'y', sub: 'z' }), SECRET, { subject: 'a', issuer: 'b', audience: 'c' },
  { note: 'audience, issuer, subject, jwtid, nonce, maxAge: fixed order' });
verify('claims/order-iss-before-sub', claims({ aud: 'c', iss: 'y', sub: 'z' }), SECRET, { subject: 'a', issuer: 'b', audience: 'c' });
verify('claims/all-match', claims({ aud: ['a', 'b'], iss: 'i', sub: 's', jti: 'j', nonce: 'n' }), SECRET,
  { audience: 'b', issuer: 'i', subject: 's', jwtid: 'j', nonce: 'n', maxAge: '1d', complete: true });
verify('claims/complete-string-true', claims({ a: 1 }), SECRET, { complete: 'true' },
  { note: 'complete must be exactly true' });
verify('options/allowInvalidAsymmetricKeyTypes-string', tokens.HS256, SECRET, { allowInvalidAsymmetricKeyTypes: 'yes' });
verify('options/allowInvalidAsymmetricKeyTypes-true', tokens.RS256, PUB.rsa, { allowInvalidAsymmetricKeyTypes: true });
verify('options/unknown-ignored', tokens.HS256, SECRET, { foo: 'bar', expiresIn: 1 });
verify('options/null', tokens.HS256, SECRET, null);
verify('options/option-check-before-token', undefined, SECRET, { nonce: '' },
  { note: 'options are checked before the token' });

// Payload kinds through verify.
verify('payload/nested-unicode-numbers', makeToken({
  name: 'Jürgen 😀', n: { a: [1, 0.1, 1e21, -0.5, 1e-7] }, t: true, z: null,
}, SECRET, undefined), SECRET, undefined);
verify('payload/string', makeToken('hello', SECRET, undefined), SECRET, undefined,
  { note: 'verify returns a string payload as the string' });
verify('payload/string-json', makeToken('{"a":1,"exp":1}', SECRET, undefined), SECRET, undefined,
  { note: 'a JSON string payload is parsed, and its exp is checked' });
verify('payload/string-number-json', makeToken('42', SECRET, undefined), SECRET, undefined);
verify('payload/buffer', makeToken(Buffer.from('raw bytes'), SECRET, undefined), SECRET, undefined);
verify('payload/qlik-tutorial', makeToken(QLIK_PAYLOAD, text('rsa4096-privatekey.pem'), QLIK_OPTIONS), text('rsa4096-publickey.cer'),
  { audience: 'qlik.api/login/jwt-session', issuer: 'https://my-custom-jwt', algorithms: ['RS256'], complete: true });

// Malformed tokens.
const SIGNED_HEADER = tokens.HS256.split('.')[0];
const JWT_HEADER = segment({ alg: 'HS256', typ: 'JWT' });
const PLAIN_HEADER = segment({ alg: 'HS256' });
for (const [name, t] of [
  ['undefined', undefined], ['null', null], ['empty', ''], ['zero', 0], ['false', false],
  ['number', 123], ['true', true], ['object', { a: 1 }], ['buffer', Buffer.from(tokens.HS256)],
  ['one-part', 'abc'], ['two-parts', 'abc.def'], ['four-parts', 'a.b.c.d'], ['dots', '..'],
  ['three-dots', '...'], ['garbage-parts', 'a.b.c'], ['empty-header', `.${segment({ a: 1 })}.sig`],
  ['empty-payload', `${JWT_HEADER}..sig`], ['header-not-json', `${segment('not json')}.${segment({ a: 1 })}.abc`],
  ['header-json-null', `${segment('null')}.${segment({ a: 1 })}.abc`],
  ['header-json-number', craft(segment('123'), segment({ a: 1 }))],
  ['header-json-array', craft(segment('[]'), segment({ a: 1 }))],
  ['header-json-string', craft(segment('"HS256"'), segment({ a: 1 }))],
  ['padding', tokens.HS256.split('.').map((s) => s + '=').join('.')],
  ['standard-base64-chars', `${SIGNED_HEADER}.${segment({ a: 1 })}+/.abc`],
  ['whitespace', ` ${tokens.HS256}`], ['trailing-newline', `${tokens.HS256}\n`],
  ['payload-not-json-typ-jwt', craft(JWT_HEADER, segment('not json'))],
  ['payload-truncated-json-typ-jwt', craft(JWT_HEADER, segment('{"a":1'))],
  ['payload-not-json-no-typ', craft(PLAIN_HEADER, segment('not json'))],
  ['payload-json-null-typ-jwt', craft(JWT_HEADER, segment('null'))],
  ['payload-json-array', craft(JWT_HEADER, segment('[1,2]'))],
  ['payload-json-number', craft(JWT_HEADER, segment('5'))],
  ['header-base64-extra-char', craft(JWT_HEADER + 'A', segment({ a: 1 }))],
  ['payload-invalid-utf8', craft(JWT_HEADER, b64url(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])))],
  ['header-alg-missing', craft(segment({ typ: 'JWT' }), segment({ a: 1 }))],
  ['header-alg-lowercase', craft(segment({ alg: 'hs256', typ: 'JWT' }), segment({ a: 1 }))],
]) {
  verify(`malformed/${name}`, t, SECRET, undefined);
}
verify('malformed/header-alg-unknown-allowed', craft(segment({ alg: 'XX256', typ: 'JWT' }), segment({ a: 1 })), SECRET, { algorithms: ['XX256'] },
  { note: 'jwa rejects an algorithm name it does not know' });
verify('malformed/payload-array-no-typ-valid', craft(PLAIN_HEADER, segment('[1,2]'), 'shhhhh, a shared test secret'), SECRET, undefined);
verify('malformed/payload-null-no-typ-valid', craft(PLAIN_HEADER, segment('null'), 'shhhhh, a shared test secret'), SECRET, undefined,
  { note: '"null" stays a string without typ JWT' });

// ---------------------------------------------------------------------------------------------
// Decode vectors

for (const alg of ['HS256', 'RS256', 'PS384', 'ES256', 'ES512']) {
  decode(`valid/${alg}`, tokens[alg], undefined);
  decode(`valid/${alg}/complete`, tokens[alg], { complete: true });
}
decode('valid/none', NONE_TOKEN, { complete: true });
decode('valid/qlik-tutorial', makeToken(QLIK_PAYLOAD, text('rsa4096-privatekey.pem'), QLIK_OPTIONS), { complete: true });
decode('valid/expired-is-still-decoded', timed({ exp: 1 }), undefined);
decode('valid/tampered-is-still-decoded', flipFirstSignatureChar(tokens.HS256), undefined);
decode('options/json-true', tokens.HS256, { json: true });
decode('options/complete-string', tokens.HS256, { complete: 'yes' });
decode('options/complete-false', tokens.HS256, { complete: false });
decode('options/null', tokens.HS256, null);
decode('options/encoding-ignored', tokens.HS256, { encoding: 'hex' });
decode('payload/unicode-numbers', makeToken({ s: 'é😀', n: [0.1, 1e21, 5e-324, -1] }, SECRET, undefined), undefined);
decode('payload/string', makeToken('hello', SECRET, undefined), undefined);
decode('payload/string-complete', makeToken('hello', SECRET, undefined), { complete: true });
decode('payload/string-json-object', makeToken('{"a":1}', SECRET, undefined), undefined);
decode('payload/string-json-number', makeToken('123', SECRET, undefined), undefined,
  { note: 'only objects and arrays replace the string' });
decode('payload/string-json-null', makeToken('null', SECRET, undefined), undefined);
decode('payload/string-json-string', makeToken('"quoted"', SECRET, undefined), undefined);
decode('payload/string-json-array', makeToken('[1,"a"]', SECRET, undefined), undefined);
decode('payload/string-json-true', makeToken('true', SECRET, undefined), undefined);
decode('payload/string-json-option', makeToken('hello', SECRET, undefined), { json: true },
  { note: 'json: true parses even without typ JWT' });
decode('payload/string-json-option-valid', makeToken('{"b":2}', SECRET, undefined), { json: true, complete: true });
decode('payload/buffer', makeToken(Buffer.from([0x68, 0x69, 0xff]), SECRET, undefined), undefined);
decode('payload/typ-jwt-number', craft(JWT_HEADER, segment('5')), undefined,
  { note: 'with typ JWT the parsed number is returned' });
decode('payload/typ-jwt-null', craft(JWT_HEADER, segment('null')), undefined);
decode('payload/typ-jwt-null-complete', craft(JWT_HEADER, segment('null')), { complete: true });
decode('payload/typ-jwt-not-json', craft(JWT_HEADER, segment('not json')), undefined);
decode('payload/typ-jwt-empty-object-text', craft(JWT_HEADER, segment('{}')), undefined);
decode('payload/typ-lowercase-not-json', craft(segment({ alg: 'HS256', typ: 'jwt' }), segment('not json')), undefined);
decode('payload/invalid-utf8', craft(JWT_HEADER, b64url(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]))), undefined);
decode('payload/duplicate-keys', craft(JWT_HEADER, segment('{"a":1,"b":2,"a":3}')), undefined,
  { note: 'JSON.parse keeps the last value at the first position' });
decode('payload/array-index-keys', craft(JWT_HEADER, segment('{"b":1,"2":2,"1":1,"a":0}')), undefined);
decode('payload/negative-zero', craft(JWT_HEADER, segment('{"z":-0,"e":1E2,"f":1.0}')), undefined);
decode('header/extra-members', craft(segment({ alg: 'RS256', kid: 'k', typ: 'JWT', x5t: ['a'] }), segment({ a: 1 })), { complete: true });
decode('header/alg-none-no-signature', `${segment({ alg: 'none' })}.${segment({ a: 1 })}.`, { complete: true });
for (const [name, t] of [
  ['garbage', 'garbage'], ['empty', ''], ['two-parts', 'a.b'], ['four-parts', `${tokens.HS256}.x`],
  ['bad-header', 'a.b.c'], ['header-not-json', `${segment('nope')}.${segment({ a: 1 })}.x`],
  ['header-null', `${segment('null')}.${segment({ a: 1 })}.x`], ['padding', `${tokens.HS256}=`],
  ['null', null], ['undefined', undefined], ['number', 123], ['object', { a: 1 }],
  ['whitespace', ` ${tokens.HS256}`], ['header-base64-extra-char', craft(JWT_HEADER + 'A', segment({ a: 1 }))],
  ['header-json-number', `${segment('7')}.${segment({ a: 1 })}.x`],
  ['buffer', Buffer.from(tokens.HS256)],
]) {
  decode(`garbage/${name}`, t, undefined);
}

// ---------------------------------------------------------------------------------------------
// Running jsonwebtoken and writing the files

const KNOWN = new Set(KNOWN_CLASSES);
function outcome(fn) {
  try {
    const result = fn();
    return { ok: true, result };
  } catch (err) {
    if (!KNOWN.has(err.name)) throw new Error(`unexpected error class ${err.name}: ${err.message}`);
    if (err.code) throw new Error(`Node-internal error leaked (${err.code}): ${err.message}`);
    return { ok: false, error: encodeError(err) };
  }
}

for (const v of signVectors) {
  const out = outcome(() => atTime(v.now_ms, () => jwt.sign(decodeValue(v.payload), loadKey(v.key), decodeValue(v.options))));
  if (!out.ok) {
    v.expect = { error: out.error };
    continue;
  }
  let token = out.result;
  const alg = headerOf(token).alg;
  if (isRandomized(alg)) {
    const pub = publicKeyFor(v.key);
    if (!pub) throw new Error(`${v.id}: no public key known for ${JSON.stringify(v.key)}`);
    token = stabilize(token, pub);
    jwt.verify(token, loadKey(pub), { algorithms: [alg], ignoreExpiration: true, ignoreNotBefore: true });
    v.randomized = true;
    v.verify_key = pub;
  }
  v.expect = { token };
}

for (const v of verifyVectors) {
  const out = outcome(() => atTime(v.now_ms, () => jwt.verify(decodeValue(v.token), loadKey(v.key), decodeValue(v.options))));
  v.expect = out.ok ? { result: encodeValue(out.result) } : { error: out.error };
}

for (const v of decodeVectors) {
  const out = outcome(() => jwt.decode(decodeValue(v.token), decodeValue(v.options)));
  v.expect = out.ok ? { result: encodeValue(out.result) } : { error: out.error };
}

function write(name, vectors) {
  const about = `jsonwebtoken ${JWT_VERSION} ${name} vectors; generated by tests/vectors/generate.js, see tests/vectors/README.md`;
  writeVectorFile(path.join(OUT_DIR, `${name}.json`), about, vectors);
  const errors = vectors.filter((v) => v.expect.error).length;
  console.log(`${name}.json: ${vectors.length} vectors (${errors} expect an error)`);
}

write('sign', signVectors);
write('verify', verifyVectors);
write('decode', decodeVectors);
console.log(`total: ${signVectors.length + verifyVectors.length + decodeVectors.length}`);
