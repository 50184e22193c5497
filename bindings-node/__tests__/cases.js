'use strict';
// Generated cases for the differential tests: every argument is made fresh for each run (a
// case is a function), so that mutatePayload and friends cannot leak between the two
// implementations. Keys come from tests/keys in every form jsonwebtoken accepts, KeyObjects
// included.

const crypto = require('node:crypto');

const { key, keyText, oracle, at } = require('./helpers');

const NOW = Date.UTC(2026, 10, 29, 5, 0, 0, 123);
const NOW_S = Math.floor(NOW / 1000);
const SECRET = 'qlik-jwt-secret';
const PASSPHRASE = 'qlik-jwt-test';

class Point {
  constructor() {
    this.x = 1;
    this.y = 2;
  }
}

/** Private key forms per family; each returns a fresh key argument. */
const RSA_PRIVATE = {
  'pkcs8 text': () => keyText('rsa2048-private-pkcs8.pem'),
  'pkcs1 text': () => keyText('rsa2048-private-pkcs1.pem'),
  'pkcs8 buffer': () => key('rsa2048-private-pkcs8.pem'),
  'encrypted with passphrase': () => ({ key: keyText('rsa2048-private-pkcs8-encrypted.pem'), passphrase: PASSPHRASE }),
  jwk: () => ({ key: JSON.parse(keyText('rsa2048-private.jwk.json')), format: 'jwk' }),
  KeyObject: () => crypto.createPrivateKey(key('rsa2048-private-pkcs8.pem')),
  'tutorial 4096 pkcs1': () => key('rsa4096-privatekey.pem'),
};

const RSA_PUBLIC = {
  'spki text': () => keyText('rsa2048-public-spki.pem'),
  'pkcs1 text': () => keyText('rsa2048-public-pkcs1.pem'),
  'certificate text': () => keyText('rsa2048-cert.pem'),
  'spki buffer': () => key('rsa2048-public-spki.pem'),
  jwk: () => ({ key: JSON.parse(keyText('rsa2048-public.jwk.json')), format: 'jwk' }),
  KeyObject: () => crypto.createPublicKey(key('rsa2048-public-spki.pem')),
  'private key text': () => keyText('rsa2048-private-pkcs8.pem'),
};

const EC = { ES256: 'ec256', ES384: 'ec384', ES512: 'ec521' };

function ecPrivate(curve) {
  return {
    'pkcs8 text': () => keyText(`${curve}-private-pkcs8.pem`),
    'sec1 text': () => keyText(`${curve}-private-sec1.pem`),
    'sec1 with params': () => keyText(`${curve}-private-sec1-params.pem`),
    jwk: () => ({ key: JSON.parse(keyText(`${curve}-private.jwk.json`)), format: 'jwk' }),
    KeyObject: () => crypto.createPrivateKey(key(`${curve}-private-pkcs8.pem`)),
  };
}

function ecPublic(curve) {
  return {
    'spki text': () => keyText(`${curve}-public-spki.pem`),
    jwk: () => ({ key: JSON.parse(keyText(`${curve}-public.jwk.json`)), format: 'jwk' }),
    KeyObject: () => crypto.createPublicKey(key(`${curve}-public-spki.pem`)),
  };
}

const SECRETS = {
  string: () => SECRET,
  buffer: () => Buffer.from(SECRET),
  KeyObject: () => crypto.createSecretKey(Buffer.from(SECRET)),
  'binary buffer': () => Buffer.from([0, 255, 1, 254, 2, 253]),
};

const PAYLOADS = {
  'plain claims': () => ({ sub: 'u1', name: 'Hardcore Harry', admin: true, n: 1.5 }),
  nested: () => ({ a: { b: { c: [1, 'two', null, { d: false }] } }, e: [] }),
  'Date member (toJSON)': () => ({ when: new Date(Date.UTC(2020, 0, 2, 3, 4, 5)) }),
  'custom toJSON member': () => ({ money: { toJSON: (k) => `key:${k}` } }),
  'class instance member': () => ({ point: new Point() }),
  'Buffer member': () => ({ raw: Buffer.from('hi') }),
  'undefined and function members': () => ({ a: undefined, f() {}, b: 1 }),
  'non-finite numbers': () => ({ nan: NaN, inf: Infinity, neg: -Infinity, negZero: -0 }),
  'array with holes of undefined': () => ({ list: [undefined, () => 1, Symbol('s'), 3] }),
  'unicode and escapes': () => ({ s: 'é\u2028\u0000"\\</script>😀', 'ключ': 'значение' }),
  'integer-like keys': () => ({ b: 1, 2: 'two', a: 3, 1: 'one' }),
  'Object.create(null)': () => Object.assign(Object.create(null), { a: 1 }),
  'iat given': () => ({ iat: NOW_S - 100, x: 1 }),
  'exp given': () => ({ exp: NOW_S + 100 }),
  'nbf given': () => ({ nbf: NOW_S + 5 }),
  'exp as string': () => ({ exp: 'soon' }),
  'iat as Date': () => ({ iat: new Date(NOW) }),
  string: () => 'just a string',
  'JSON text string': () => '{"a":1}',
  Buffer: () => Buffer.from('{"b":2}'),
  'empty object': () => ({}),
  'Date payload': () => new Date(NOW),
  'class instance payload': () => new Point(),
  'array payload': () => [1, 2],
  number: () => 42,
  undefined: () => undefined,
  null: () => null,
};

const SIGN_OPTIONS = {
  none: () => undefined,
  'empty object': () => ({}),
  'expiresIn seconds': () => ({ expiresIn: 60 }),
  'expiresIn ms grammar': () => ({ expiresIn: '2h' }),
  'expiresIn decimals and spaces': () => ({ expiresIn: '1.5 days' }),
  'expiresIn digits only (ms)': () => ({ expiresIn: '1500' }),
  'expiresIn negative': () => ({ expiresIn: '-10m' }),
  'expiresIn invalid': () => ({ expiresIn: 'a while' }),
  'expiresIn empty string': () => ({ expiresIn: '' }),
  'expiresIn float': () => ({ expiresIn: 1.5 }),
  'expiresIn Date': () => ({ expiresIn: new Date(NOW) }),
  'notBefore': () => ({ notBefore: '30s' }),
  'notBefore zero': () => ({ notBefore: 0 }),
  'tutorial options': () => ({
    keyid: 'my-custom-jwt', issuer: 'https://my-custom-jwt', expiresIn: '5m', notBefore: '0s', audience: 'urn:app',
  }),
  'audience list': () => ({ audience: ['a', 'b'] }),
  'audience number': () => ({ audience: 5 }),
  issuer: () => ({ issuer: 'me' }),
  'issuer number': () => ({ issuer: 1 }),
  subject: () => ({ subject: 'sub-1' }),
  jwtid: () => ({ jwtid: 'id-1' }),
  keyid: () => ({ keyid: 'kid-1' }),
  'header extras': () => ({ header: { kid: 'k', typ: 'JOSE', x5t: 'abc', when: new Date(0) } }),
  'header not plain': () => ({ header: new Point() }),
  noTimestamp: () => ({ noTimestamp: true }),
  'noTimestamp string': () => ({ noTimestamp: 'yes' }),
  'encoding latin1': () => ({ encoding: 'latin1' }),
  'encoding number': () => ({ encoding: 1 }),
  'unknown option': () => ({ expiresin: 10 }),
  'algorithm invalid': () => ({ algorithm: 'HS999' }),
  'mutatePayload': () => ({ mutatePayload: true, expiresIn: 10, issuer: 'i' }),
  'mutatePayload not boolean': () => ({ mutatePayload: 1 }),
  'allowInsecureKeySizes string': () => ({ allowInsecureKeySizes: 'yes' }),
  'options is a string': () => 'HS256',
};

/**
 * Sign cases: `{ name, args: () => [payload, key, options], randomized }`. Every algorithm with
 * every key form; every payload and every option with HS256 and RS256; key-type mismatches.
 */
function signCases() {
  const cases = [];
  const add = (name, args, randomized = false) => cases.push({ name, args, randomized });
  const claims = PAYLOADS['plain claims'];
  for (const alg of ['HS256', 'HS384', 'HS512']) {
    for (const [form, make] of Object.entries(SECRETS)) {
      add(`${alg} secret ${form}`, () => [claims(), make(), { algorithm: alg, expiresIn: '1h' }]);
    }
  }
  for (const alg of ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512']) {
    for (const [form, make] of Object.entries(RSA_PRIVATE)) {
      add(`${alg} key ${form}`, () => [claims(), make(), { algorithm: alg, audience: 'x' }], alg.startsWith('PS'));
    }
  }
  for (const [alg, curve] of Object.entries(EC)) {
    for (const [form, make] of Object.entries(ecPrivate(curve))) {
      add(`${alg} key ${form}`, () => [claims(), make(), { algorithm: alg }], true);
    }
  }
  for (const [name, payload] of Object.entries(PAYLOADS)) {
    add(`payload ${name} HS256`, () => [payload(), SECRET, undefined]);
    add(`payload ${name} RS256 with options`, () => [
      payload(), RSA_PRIVATE['pkcs8 text'](), { algorithm: 'RS256', expiresIn: 30, jwtid: 'j' },
    ]);
  }
  for (const [name, options] of Object.entries(SIGN_OPTIONS)) {
    add(`options ${name} HS256`, () => [claims(), SECRET, options()]);
    add(`options ${name} string payload`, () => ['text', SECRET, options()]);
    const withAlg = options();
    if (withAlg && typeof withAlg === 'object' && !('algorithm' in withAlg)) {
      add(`options ${name} RS512`, () => [claims(), RSA_PRIVATE.KeyObject(), { ...options(), algorithm: 'RS512' }]);
    }
  }
  const mismatches = {
    'RS256 with a secret': [SECRET, 'RS256'],
    'RS256 with a secret KeyObject': [SECRETS.KeyObject(), 'RS256'],
    'HS256 with an RSA private KeyObject': [RSA_PRIVATE.KeyObject(), 'HS256'],
    'HS256 with an RSA private PEM': [RSA_PRIVATE['pkcs8 text'](), 'HS256'],
    'RS256 with a public KeyObject': [RSA_PUBLIC.KeyObject(), 'RS256'],
    'RS256 with a public PEM': [RSA_PUBLIC['spki text'](), 'RS256'],
    'ES256 with a P-384 key': [ecPrivate('ec384')['pkcs8 text'](), 'ES256'],
    'ES384 with a P-256 KeyObject': [ecPrivate('ec256').KeyObject(), 'ES384'],
    'RS256 with an EC key': [ecPrivate('ec256')['pkcs8 text'](), 'RS256'],
    'ES256 with an RSA key': [RSA_PRIVATE['pkcs8 text'](), 'ES256'],
    'RS256 with RSA-1024': [keyText('rsa1024-private-pkcs8.pem'), 'RS256'],
    'PS256 with RSA-1024 KeyObject': [crypto.createPrivateKey(key('rsa1024-private-pkcs8.pem')), 'PS256'],
    'ES256 with ed25519': [keyText('ed25519-private-pkcs8.pem'), 'ES256'],
    'none with a key': [SECRET, 'none'],
    'none without a key': [undefined, 'none'],
    'RS256 without a key': [undefined, 'RS256'],
    'HS256 with key 0': [0, 'HS256'],
    'HS256 with key true': [true, 'HS256'],
    'HS256 with key {}': [{}, 'HS256'],
    'RS256 encrypted key, wrong passphrase': [{ key: keyText('rsa2048-private-pkcs8-encrypted.pem'), passphrase: 'nope' }, 'RS256'],
  };
  for (const [name, [k, alg]] of Object.entries(mismatches)) {
    add(`key mismatch: ${name}`, () => [claims(), k, { algorithm: alg }]);
  }
  add('RS256 with RSA-1024 allowed', () => [claims(), keyText('rsa1024-private-pkcs8.pem'), { algorithm: 'RS256', allowInsecureKeySizes: true }]);
  add('RS256 with an EC key, invalid key types allowed', () => [
    claims(), ecPrivate('ec256')['pkcs8 text'](), { algorithm: 'RS256', allowInvalidAsymmetricKeyTypes: true },
  ]);
  add('claim conflict exp/expiresIn', () => [{ exp: NOW_S + 10 }, SECRET, { expiresIn: 5 }]);
  add('claim conflict nbf/notBefore', () => [{ nbf: NOW_S }, SECRET, { notBefore: 5 }]);
  add('claim conflict iss/issuer', () => [{ iss: 'a' }, SECRET, { issuer: 'b' }]);
  add('claim conflict sub/subject', () => [{ sub: 'a' }, SECRET, { subject: 'b' }]);
  return cases;
}

/** An HS256 token with claims jsonwebtoken's sign refuses to write. */
function handMade(payload) {
  const encode = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(payload)}`;
  return `${input}.${crypto.createHmac('sha256', SECRET).update(input).digest('base64url')}`;
}

/** Tokens made by jsonwebtoken at NOW (or by hand), to verify and decode. */
function tokens() {
  const rsa = RSA_PRIVATE['pkcs8 text']();
  const make = (payload, k, options) => at(NOW, () => oracle.sign(payload, k, options));
  const claims = { sub: 'u1', nonce: 'n-1' };
  const hs = make(claims, SECRET, { expiresIn: 60, notBefore: -5, audience: ['aud-a', 'aud-b'], issuer: 'iss-1', jwtid: 'jti-1' });
  const rs = make(claims, rsa, { algorithm: 'RS256', expiresIn: 60, audience: 'aud-a', issuer: 'iss-1' });
  const parts = hs.split('.');
  const tamperedPayload = Buffer.from(JSON.stringify({ sub: 'admin' })).toString('base64url');
  const out = {
    'HS256 with claims': hs,
    'RS256 with claims': rs,
    'RS384': make(claims, rsa, { algorithm: 'RS384' }),
    'PS256': make(claims, rsa, { algorithm: 'PS256' }),
    'PS512': make(claims, rsa, { algorithm: 'PS512' }),
    'ES256': make(claims, ecPrivate('ec256')['pkcs8 text'](), { algorithm: 'ES256' }),
    'ES384': make(claims, ecPrivate('ec384')['pkcs8 text'](), { algorithm: 'ES384' }),
    'ES512': make(claims, ecPrivate('ec521')['pkcs8 text'](), { algorithm: 'ES512' }),
    'not yet valid': make({ a: 1 }, SECRET, { notBefore: 120 }),
    'expired': make({ a: 1 }, SECRET, { expiresIn: -30 }),
    'no iat': make({ a: 1 }, SECRET, { noTimestamp: true }),
    'string payload': make('hello', SECRET),
    'unsigned': make({ a: 1 }, undefined, { algorithm: 'none' }),
    'tampered payload': [parts[0], tamperedPayload, parts[2]].join('.'),
    'tampered signature': `${hs.slice(0, -2)}AA`,
    'no signature': `${parts[0]}.${parts[1]}.`,
    'two parts': `${parts[0]}.${parts[1]}`,
    'garbage': 'not a token',
    'bad json header': `${Buffer.from('{nope').toString('base64url')}.${parts[1]}.${parts[2]}`,
    'bad json payload with typ JWT': `${parts[0]}.${Buffer.from('{nope').toString('base64url')}.${parts[2]}`,
    'exp as string': handMade({ exp: 'later' }),
    'nbf as string': handMade({ nbf: 'later' }),
    'aud as list, iat missing': handMade({ aud: ['x', 'aud-a'], nonce: 'n-1' }),
  };
  return out;
}

const VERIFY_KEYS = {
  secret: () => SECRET,
  'secret buffer': () => Buffer.from(SECRET),
  'secret KeyObject': () => SECRETS.KeyObject(),
  'wrong secret': () => 'wrong',
  ...Object.fromEntries(Object.entries(RSA_PUBLIC).map(([n, f]) => [`rsa ${n}`, f])),
  'rsa private KeyObject': () => RSA_PRIVATE.KeyObject(),
  'ec256 spki': ecPublic('ec256')['spki text'],
  'ec256 KeyObject': ecPublic('ec256').KeyObject,
  'ec256 jwk': ecPublic('ec256').jwk,
  'ec384 spki': ecPublic('ec384')['spki text'],
  'ec521 spki': ecPublic('ec521')['spki text'],
  'ec521 jwk': ecPublic('ec521').jwk,
  missing: () => undefined,
  'not key material': () => 42,
};

const VERIFY_OPTIONS = {
  none: () => undefined,
  complete: () => ({ complete: true }),
  'algorithms HS256': () => ({ algorithms: ['HS256'] }),
  'algorithms RS256 only': () => ({ algorithms: ['RS256'] }),
  'algorithms none': () => ({ algorithms: ['none'] }),
  'audience match': () => ({ audience: 'aud-a' }),
  'audience mismatch': () => ({ audience: 'aud-z' }),
  'audience regexp': () => ({ audience: /^aud-/ }),
  'audience list with regexp mismatch': () => ({ audience: ['x', /^zzz$/i] }),
  'issuer match': () => ({ issuer: 'iss-1' }),
  'issuer list mismatch': () => ({ issuer: ['a', 'b'] }),
  'subject mismatch': () => ({ subject: 'u2' }),
  'jwtid mismatch': () => ({ jwtid: 'other' }),
  'nonce match': () => ({ nonce: 'n-1' }),
  'nonce empty': () => ({ nonce: ' ' }),
  'maxAge 10s': () => ({ maxAge: '10s' }),
  'maxAge 1h': () => ({ maxAge: '1h' }),
  'maxAge invalid': () => ({ maxAge: 'forever' }),
  ignoreExpiration: () => ({ ignoreExpiration: true }),
  ignoreNotBefore: () => ({ ignoreNotBefore: true }),
  'clockTolerance 200': () => ({ clockTolerance: 200 }),
  'clockTimestamp past': () => ({ clockTimestamp: NOW_S - 1000 }),
  'clockTimestamp string': () => ({ clockTimestamp: 'x' }),
  'allowInvalidAsymmetricKeyTypes string': () => ({ allowInvalidAsymmetricKeyTypes: 'x' }),
};

/** Verify cases at several instants around NOW. */
function verifyCases() {
  const cases = [];
  const all = tokens();
  const offsets = [0, 90 * 1000, -60 * 1000];
  for (const [tokenName, token] of Object.entries(all)) {
    for (const [keyName, makeKey] of Object.entries(VERIFY_KEYS)) {
      cases.push({ name: `${tokenName} / key ${keyName}`, now: NOW, args: () => [token, makeKey(), undefined] });
    }
    for (const [optionsName, makeOptions] of Object.entries(VERIFY_OPTIONS)) {
      for (const offset of offsets) {
        const keyFor = tokenName.startsWith('RS') || tokenName.startsWith('PS') ? VERIFY_KEYS['rsa spki text']
          : tokenName.startsWith('ES256') ? VERIFY_KEYS['ec256 spki']
            : tokenName.startsWith('ES384') ? VERIFY_KEYS['ec384 spki']
              : tokenName.startsWith('ES512') ? VERIFY_KEYS['ec521 spki'] : VERIFY_KEYS.secret;
        cases.push({
          name: `${tokenName} / options ${optionsName} / now${offset >= 0 ? '+' : ''}${offset / 1000}s`,
          now: NOW + offset,
          args: () => [token, keyFor(), makeOptions()],
        });
      }
    }
  }
  for (const odd of [undefined, null, '', 42, {}, Buffer.from(all['HS256 with claims'])]) {
    cases.push({ name: `token ${typeof odd} ${String(odd).slice(0, 10)}`, now: NOW, args: () => [odd, SECRET, undefined] });
  }
  return cases;
}

/** Decode cases. */
function decodeCases() {
  const cases = [];
  const all = tokens();
  const options = { none: undefined, complete: { complete: true }, json: { json: true }, 'complete json': { complete: true, json: true } };
  for (const [tokenName, token] of Object.entries(all)) {
    for (const [optionsName, value] of Object.entries(options)) {
      cases.push({ name: `${tokenName} / ${optionsName}`, args: () => [token, value] });
    }
  }
  for (const odd of [undefined, null, 42, {}, 'a.b.c', '..', Buffer.from(all['RS256 with claims'])]) {
    cases.push({ name: `decode ${typeof odd} ${String(odd).slice(0, 10)}`, args: () => [odd, undefined] });
  }
  return cases;
}

module.exports = { NOW, NOW_S, SECRET, signCases, verifyCases, decodeCases, RSA_PUBLIC, ecPublic };
