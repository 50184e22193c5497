'use strict';
// Known JWT attacks, each refused by the drop-in exactly where jsonwebtoken 9.0.3
// refuses it: jsonwebtoken is the oracle for every verdict, and the expected code is asserted.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');

const { qlik, oracle, key, keyText, at } = require('./helpers');

const SECRET = 'attacks-secret-0b6d2e';
const b64 = (data) => Buffer.from(data).toString('base64url');
const json = (part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

const KEYS = {
  HS: { sign: SECRET, verify: SECRET },
  RS: { sign: keyText('rsa2048-private-pkcs8.pem'), verify: keyText('rsa2048-public-spki.pem') },
  PS: { sign: keyText('rsa2048-private-pkcs8.pem'), verify: keyText('rsa2048-public-spki.pem') },
  ES256: { sign: keyText('ec256-private-pkcs8.pem'), verify: keyText('ec256-public-spki.pem') },
  ES384: { sign: keyText('ec384-private-pkcs8.pem'), verify: keyText('ec384-public-spki.pem') },
  ES512: { sign: keyText('ec521-private-pkcs8.pem'), verify: keyText('ec521-public-spki.pem') },
};
const ALGORITHMS = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'];
const keysFor = (alg) => KEYS[alg] || KEYS[alg.slice(0, 2)];

/** The error (class name, code, message) of a verify, or `{ ok: payload }`. */
function verdict(jwt, token, verifyKey, options) {
  try {
    return { ok: jwt.verify(token, verifyKey, options) };
  } catch (error) {
    return { name: error.name, message: error.message, code: error.code };
  }
}

/** Asserts that both libraries refuse `token`, alike, with `code`. */
function refused(token, verifyKey, options, code) {
  const ours = verdict(qlik, token, verifyKey, options);
  const theirs = verdict(oracle, token, verifyKey, options);
  assert.equal(ours.ok, undefined, `qlik-jwt accepted ${token.slice(0, 60)}...`);
  assert.equal(theirs.ok, undefined, 'jsonwebtoken refuses it too');
  // Including the TypeError jsonwebtoken lets escape (jwa's ECDSA length check).
  assert.equal(ours.name, theirs.name);
  assert.equal(ours.message, theirs.message);
  assert.equal(ours.code, code, ours.message);
  return ours;
}

function tokenFor(alg, payload = { sub: 'alice', admin: false }) {
  return qlik.sign(payload, keysFor(alg).sign, { algorithm: alg, keyid: 'kid-1' });
}

function reheader(token, change) {
  const [header, payload, signature] = token.split('.');
  return [b64(JSON.stringify(change(json(header)))), payload, signature].join('.');
}

test('alg none: refused whenever a key is given, and without "none" in algorithms', () => {
  const unsigned = oracle.sign({ sub: 'alice' }, null, { algorithm: 'none' });
  assert.equal(qlik.sign({ sub: 'alice' }, null, { algorithm: 'none' }).split('.').length, 3);
  refused(unsigned, SECRET, undefined, 'ERR_JWT_INVALID_SIGNATURE');
  refused(unsigned, SECRET, { algorithms: ['none'] }, 'ERR_JWT_INVALID_SIGNATURE');
  refused(unsigned, KEYS.RS.verify, undefined, 'ERR_JWT_INVALID_SIGNATURE');
  // CVE-2022-23540: no key and no algorithms used to accept an unsigned token.
  refused(unsigned, undefined, undefined, 'ERR_JWT_ALGORITHM_NOT_ALLOWED');
  refused(unsigned, null, { algorithms: ['HS256', 'RS256'] }, 'ERR_JWT_ALGORITHM_NOT_ALLOWED');
  for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
    const forged = reheader(tokenFor('HS256'), (h) => ({ ...h, alg })).replace(/[^.]*$/, '');
    refused(forged, SECRET, undefined, 'ERR_JWT_INVALID_SIGNATURE');
  }
  // Only an explicit opt-in (no key, "none" allowed) accepts it, as in jsonwebtoken.
  assert.deepEqual(qlik.verify(unsigned, null, { algorithms: ['none'] }), oracle.verify(unsigned, null, { algorithms: ['none'] }));
});

test('CVE-2022-23541: an RSA public key or certificate is never an HMAC secret on verify', () => {
  const victims = [
    ['SPKI PEM', keyText('rsa2048-public-spki.pem')],
    ['PKCS#1 PEM', keyText('rsa2048-public-pkcs1.pem')],
    ['certificate', keyText('rsa2048-cert.pem')],
    ['Buffer', key('rsa2048-public-spki.pem')],
    ['KeyObject', crypto.createPublicKey(keyText('rsa2048-public-spki.pem'))],
  ];
  for (const [form, publicKey] of victims) {
    const secretText = typeof publicKey === 'string' || Buffer.isBuffer(publicKey) ? publicKey : publicKey.export({ type: 'spki', format: 'pem' });
    for (const alg of ['HS256', 'HS384', 'HS512']) {
      const header = b64(JSON.stringify({ alg, typ: 'JWT' }));
      const payload = b64(JSON.stringify({ sub: 'admin' }));
      const forged = `${header}.${payload}.${crypto.createHmac(`sha${alg.slice(2)}`, secretText).update(`${header}.${payload}`).digest('base64url')}`;
      refused(forged, publicKey, undefined, 'ERR_JWT_ALGORITHM_NOT_ALLOWED');
      refused(forged, publicKey, { algorithms: [alg] }, 'ERR_KEY_ALGORITHM_MISMATCH');
      refused(forged, publicKey, { algorithms: [alg, 'RS256'] }, 'ERR_KEY_ALGORITHM_MISMATCH');
      assert.ok(form);
    }
  }
});

test('CVE-2022-23539: a key whose type does not fit the algorithm is refused', () => {
  const cases = [
    [tokenFor('ES256'), KEYS.RS.verify, ['ES256'], 'ERR_KEY_ALGORITHM_MISMATCH'],
    [tokenFor('RS256'), KEYS.ES256.verify, ['RS256'], 'ERR_KEY_ALGORITHM_MISMATCH'],
    [tokenFor('PS256'), KEYS.ES256.verify, ['PS256'], 'ERR_KEY_ALGORITHM_MISMATCH'],
    [tokenFor('ES384'), KEYS.ES256.verify, ['ES384'], 'ERR_KEY_ALGORITHM_MISMATCH'],
    [tokenFor('ES256'), KEYS.ES512.verify, ['ES256'], 'ERR_KEY_ALGORITHM_MISMATCH'],
    [tokenFor('RS256'), SECRET, ['RS256'], 'ERR_KEY_ALGORITHM_MISMATCH'],
    [tokenFor('ES256'), KEYS.RS.verify, undefined, 'ERR_JWT_ALGORITHM_NOT_ALLOWED'],
    [tokenFor('HS256'), KEYS.ES256.verify, undefined, 'ERR_JWT_ALGORITHM_NOT_ALLOWED'],
  ];
  for (const [token, verifyKey, algorithms, code] of cases) {
    refused(token, verifyKey, algorithms && { algorithms }, code);
  }
});

test('signature stripping is refused for every algorithm', () => {
  for (const alg of ALGORITHMS) {
    const stripped = tokenFor(alg).replace(/[^.]*$/, '');
    refused(stripped, keysFor(alg).verify, undefined, 'ERR_JWT_INVALID_SIGNATURE');
    refused(stripped, keysFor(alg).verify, { algorithms: [alg, 'none'] }, 'ERR_JWT_INVALID_SIGNATURE');
  }
});

test('header tampering (alg, kid, typ, extra members) breaks the signature', () => {
  for (const alg of ALGORITHMS) {
    const token = tokenFor(alg);
    const { verify } = keysFor(alg);
    const family = ALGORITHMS.filter((other) => other.slice(0, 2) === alg.slice(0, 2) && other !== alg);
    for (const other of family) {
      // Another curve's ES algorithm fails on the key's curve before any signature check.
      const code = alg.startsWith('ES') ? 'ERR_KEY_ALGORITHM_MISMATCH' : 'ERR_JWT_INVALID_SIGNATURE';
      refused(reheader(token, (h) => ({ ...h, alg: other })), verify, undefined, code);
    }
    refused(reheader(token, (h) => ({ ...h, kid: 'kid-2' })), verify, undefined, 'ERR_JWT_INVALID_SIGNATURE');
    refused(reheader(token, (h) => ({ ...h, typ: 'at+jwt' })), verify, undefined, 'ERR_JWT_INVALID_SIGNATURE');
    refused(reheader(token, (h) => ({ ...h, jku: 'https://attacker.example/keys' })), verify, undefined, 'ERR_JWT_INVALID_SIGNATURE');
    refused(reheader(token, ({ kid, ...h }) => h), verify, undefined, 'ERR_JWT_INVALID_SIGNATURE');
  }
});

test('payload tampering breaks the signature, including a re-encoding of the same JSON', () => {
  for (const alg of ALGORITHMS) {
    const token = tokenFor(alg);
    const { verify } = keysFor(alg);
    const [header, payload, signature] = token.split('.');
    const claims = json(payload);
    const variants = [
      { ...claims, admin: true },
      { ...claims, sub: 'mallory' },
      { ...claims, exp: 9999999999 },
    ];
    for (const changed of variants) {
      refused(`${header}.${b64(JSON.stringify(changed))}.${signature}`, verify, undefined, 'ERR_JWT_INVALID_SIGNATURE');
    }
    // The same claims with different whitespace: equal JSON, different signed bytes.
    refused(`${header}.${b64(JSON.stringify(claims, null, 1))}.${signature}`, verify, undefined, 'ERR_JWT_INVALID_SIGNATURE');
    // Swapping in another valid token's payload.
    const other = tokenFor(alg, { sub: 'mallory', admin: true }).split('.')[1];
    refused(`${header}.${other}.${signature}`, verify, undefined, 'ERR_JWT_INVALID_SIGNATURE');
  }
});

/** Signatures that must never verify for `alg`, given a valid one. */
function malformedSignatures(alg, signature) {
  const bytes = Buffer.from(signature, 'base64url');
  const flipped = Buffer.from(bytes);
  flipped[flipped.length >> 1] ^= 0x01;
  const out = [
    ['truncated by a byte', bytes.subarray(0, -1)],
    ['one byte longer', Buffer.concat([bytes, Buffer.from([0])])],
    ['all zero', Buffer.alloc(bytes.length)],
    ['all 0xff', Buffer.alloc(bytes.length, 0xff)],
    ['one bit flipped', flipped],
    ['doubled', Buffer.concat([bytes, bytes])],
    ['a single byte', Buffer.from([1])],
  ];
  if (alg.startsWith('ES')) {
    const half = bytes.length / 2;
    const order = {
      ES256: 'ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551',
      ES384: 'ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973',
      ES512: '01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409',
    }[alg];
    const n = Buffer.from(order, 'hex');
    out.push(['psychic r = s = 0', Buffer.alloc(bytes.length)]);
    out.push(['r = s = n (the curve order)', Buffer.concat([n, n])]);
    out.push(['r = 0, s valid', Buffer.concat([Buffer.alloc(half), bytes.subarray(half)])]);
    out.push(['r valid, s = 0', Buffer.concat([bytes.subarray(0, half), Buffer.alloc(half)])]);
    out.push(['r and s swapped', Buffer.concat([bytes.subarray(half), bytes.subarray(0, half)])]);
    out.push(['DER-encoded instead of JOSE', derSignature(bytes)]);
  }
  return out;
}

/** The ASN.1 DER form of a JOSE (r || s) ECDSA signature. */
function derSignature(raw) {
  const integer = (part) => {
    let i = 0;
    while (i < part.length - 1 && part[i] === 0) i += 1;
    let value = part.subarray(i);
    if (value[0] & 0x80) value = Buffer.concat([Buffer.from([0]), value]);
    return Buffer.concat([Buffer.from([0x02, value.length]), value]);
  };
  const body = Buffer.concat([integer(raw.subarray(0, raw.length / 2)), integer(raw.subarray(raw.length / 2))]);
  const length = body.length < 128 ? Buffer.from([body.length]) : Buffer.from([0x81, body.length]);
  return Buffer.concat([Buffer.from([0x30]), length, body]);
}

test('malformed signatures (psychic ECDSA included) are refused for every algorithm', () => {
  let count = 0;
  for (const alg of ALGORITHMS) {
    const token = tokenFor(alg);
    const { verify } = keysFor(alg);
    assert.equal(qlik.verify(token, verify).sub, 'alice', `${alg} control`);
    const [header, payload, signature] = token.split('.');
    for (const [name, bytes] of malformedSignatures(alg, signature)) {
      const forged = `${header}.${payload}.${bytes.toString('base64url')}`;
      assert.ok(name && refused(forged, verify, undefined, 'ERR_JWT_INVALID_SIGNATURE'));
      count += 1;
    }
    // Signature text that is not base64url at all.
    refused(`${header}.${payload}.${signature.slice(0, -4)}+/==`, verify, undefined, 'ERR_JWT_MALFORMED');
  }
  assert.ok(count >= 12 * 7);
});

test('a signature of another algorithm or another key does not verify', () => {
  const otherRsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const otherEc = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const wrongKeys = {
    HS256: 'another-secret',
    RS256: otherRsa.publicKey.export({ type: 'spki', format: 'pem' }),
    PS256: otherRsa.publicKey.export({ type: 'spki', format: 'pem' }),
    ES256: otherEc.publicKey.export({ type: 'spki', format: 'pem' }),
  };
  for (const [alg, wrong] of Object.entries(wrongKeys)) {
    refused(tokenFor(alg), wrong, undefined, 'ERR_JWT_INVALID_SIGNATURE');
  }
  // An RS256 signature relabelled PS256 (same key, same hash) is not a PSS signature.
  const rs = tokenFor('RS256');
  refused(reheader(rs, (h) => ({ ...h, alg: 'PS256' })), KEYS.RS.verify, undefined, 'ERR_JWT_INVALID_SIGNATURE');
});

test('crit: ignored by verify exactly as jsonwebtoken (documented in SECURITY.md); the Qlik signer never sets it', () => {
  for (const crit of [['exp'], ['urn:example:unknown'], 'not-a-list', []]) {
    // One clock for both, so that their iat cannot straddle a second boundary.
    const options = { header: { alg: 'HS256', crit } };
    const token = at(1_700_000_000_000, () => qlik.sign({ sub: 'alice' }, SECRET, options));
    assert.equal(token, at(1_700_000_000_000, () => oracle.sign({ sub: 'alice' }, SECRET, options)));
    assert.deepEqual(verdict(qlik, token, SECRET), verdict(oracle, token, SECRET));
    assert.equal(verdict(qlik, token, SECRET).ok.sub, 'alice');
  }
  const signer = qlik.createQlikSigner({ privateKey: KEYS.ES256.sign, keyId: 'k', issuer: 'i', algorithm: 'ES256' });
  const header = qlik.decode(signer.sign({ sub: 's', name: 'n', email: 'e@x', emailVerified: true }), { complete: true }).header;
  assert.equal(header.crit, undefined);
});

test('the key-retrieval callback cannot hand over a key of the wrong type', async () => {
  const token = tokenFor('RS256');
  const attempts = [
    [SECRET, 'ERR_JWT_ALGORITHM_NOT_ALLOWED'],
    [KEYS.ES256.verify, 'ERR_JWT_ALGORITHM_NOT_ALLOWED'],
    [undefined, 'ERR_MISSING_KEY'],
  ];
  for (const [chosen, code] of attempts) {
    const error = await qlik.verifyAsync(token, (header, callback) => callback(null, chosen)).then(() => undefined, (e) => e);
    const oracleError = await new Promise((resolve) => oracle.verify(token, (header, callback) => callback(null, chosen), (e) => resolve(e)));
    assert.ok(error instanceof qlik.JsonWebTokenError, `key ${String(chosen).slice(0, 20)}`);
    assert.equal(error.message, oracleError.message);
    assert.equal(error.code, code, error.message);
  }
});

test('explainQlikToken flags forged and unsigned tokens', () => {
  const signer = qlik.createQlikSigner({ privateKey: KEYS.ES256.sign, keyId: 'k', issuer: 'i', algorithm: 'ES256' });
  const good = signer.sign({ sub: 's', name: 'n', email: 'e@x', emailVerified: true });
  const provider = { issuer: 'i', keyId: 'k', certificate: KEYS.ES256.verify };
  assert.deepEqual(qlik.explainQlikToken(good, provider), []);
  const codes = (token) => qlik.explainQlikToken(token, provider).map((p) => p.code);
  const [header, payload, signature] = good.split('.');
  assert.ok(codes(`${header}.${payload}.`).includes('QLIK_SIGNATURE_MISMATCH'));
  assert.ok(codes(`${b64('{"alg":"none","kid":"k","typ":"JWT"}')}.${payload}.`).includes('QLIK_ALG_NONE'));
  const zero = Buffer.alloc(64).toString('base64url');
  assert.ok(codes(`${header}.${payload}.${zero}`).includes('QLIK_SIGNATURE_MISMATCH'));
  const richer = b64(JSON.stringify({ ...json(payload), groups: ['admins'] }));
  assert.ok(codes(`${header}.${richer}.${signature}`).includes('QLIK_SIGNATURE_MISMATCH'));
  const relabelled = reheader(good, (h) => ({ ...h, alg: 'HS256' }));
  assert.ok(codes(relabelled).includes('QLIK_ALG_HMAC'));
});
