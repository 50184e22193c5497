'use strict';
// The key-form table: every key file of tests/keys/ (every form OpenSSL writes) handed to
// `sign` with every algorithm and to `verify` with a token of every algorithm, as a string, a
// Buffer and a KeyObject. `generate-key-forms.js` records what jsonwebtoken 9.0.3 does in
// key-forms.json; the Node test replays the rows through jsonwebtoken (the record must still
// hold) and through qlik-jwt; the Rust and Python tests replay the record through the core.
// The file format is described in README.md beside this file.

const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { KEYS_DIR, encodeError } = require('./codec');

const PASSPHRASE = 'qlik-jwt-test';
const PAYLOAD = { sub: 'key-forms' };
/** The HMAC secret of the reference HS* tokens. */
const SECRET = 'key-forms-secret';
const SIGN_ALGORITHMS = [
  'HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512',
  'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'none',
];
const VERIFY_ALGORITHMS = SIGN_ALGORITHMS.filter((alg) => alg !== 'none');

/**
 * Key pairs: the private key that makes the group's tokens, the public key that checks them,
 * and another key of the same type (whose tokens must fail with `invalid signature`).
 */
const GROUPS = {
  rsa2048: { private: 'rsa2048-private-pkcs8.pem', public: 'rsa2048-public-spki.pem', partner: 'rsa4096' },
  rsa4096: { private: 'rsa4096-privatekey.pem', public: 'rsa4096-public-spki.pem', partner: 'rsa2048' },
  rsa1024: { private: 'rsa1024-private-pkcs8.pem', public: 'rsa1024-public-spki.pem', partner: 'rsa2048' },
  rsapss2048: { private: 'rsapss2048-private-pkcs8.pem', public: 'rsapss2048-public-spki.pem', partner: 'rsa2048' },
  'rsapss2048-sha256': {
    private: 'rsapss2048-sha256-private-pkcs8.pem', public: 'rsapss2048-sha256-public-spki.pem', partner: 'rsa2048',
  },
  ec256: { private: 'ec256-private-pkcs8.pem', public: 'ec256-public-spki.pem', partner: 'ec256x' },
  ec256x: { private: 'ec256x-private-sec1-explicit-params.pem', public: 'ec256x-public-spki-explicit.pem', partner: 'ec256' },
  ec384: { private: 'ec384-private-pkcs8.pem', public: 'ec384-public-spki.pem', partner: 'ec384x' },
  ec384x: { private: 'ec384x-private-sec1-explicit-params.pem', public: 'ec384x-public-spki-explicit.pem', partner: 'ec384' },
  ec521: { private: 'ec521-private-pkcs8.pem', public: 'ec521-public-spki.pem', partner: 'ec521x' },
  ec521x: { private: 'ec521x-private-sec1-explicit-params.pem', public: 'ec521x-public-spki-explicit.pem', partner: 'ec521' },
  ecp256g2: { private: 'ecp256g2-private-sec1-explicit-params.pem', public: 'ecp256g2-public-spki-explicit.pem' },
  secp256k1: { private: 'secp256k1-private-sec1.pem', public: 'secp256k1-public-spki.pem' },
  ed25519: { private: 'ed25519-private-pkcs8.pem', public: 'ed25519-public-spki.pem' },
  x25519: { private: 'x25519-private-pkcs8.pem', public: 'x25519-public-spki.pem' },
  dsa2048: { private: 'dsa2048-private-pkcs8.pem', public: 'dsa2048-public-spki.pem' },
};

/** Which group's token a verify row uses for an algorithm its own key cannot sign. */
function referenceGroup(alg) {
  if (alg.startsWith('HS')) return 'secret';
  if (alg === 'ES256') return 'ec256';
  if (alg === 'ES384') return 'ec384';
  if (alg === 'ES512') return 'ec521';
  return 'rsa2048';
}

function groupOf(file) {
  if (file.startsWith('rsapss2048-sha256')) return 'rsapss2048-sha256';
  const group = file.split('-')[0];
  if (!GROUPS[group]) throw new Error(`tests/keys/${file}: no key group`);
  return group;
}

const isDer = (file) => /\.(der|cer)$/.test(file) && !fs.readFileSync(path.join(KEYS_DIR, file)).includes('-----BEGIN');
const isEncrypted = (file) => /encrypted/.test(file);
const isCertificate = (file) => /(-cert\.|\.cer$)/.test(file);

/**
 * Every key file, in name order. The Qlik certificate-export fixtures (qlik-export-*) are RSA
 * 2048 in forms the table already has (PKCS#1 PEM, an X.509 certificate): they stay out of it.
 */
function keyFiles() {
  return fs
    .readdirSync(KEYS_DIR)
    .filter((f) => /\.(pem|der|cer)$/.test(f) && !f.startsWith('qlik-export-'))
    .sort();
}

/** How a key file is handed over: text (not for DER), a Buffer, a KeyObject. */
function argumentKinds(file) {
  return isDer(file) ? ['buffer', 'keyobject'] : ['text', 'buffer', 'keyobject'];
}

const read = (file) => fs.readFileSync(path.join(KEYS_DIR, file));

/** The KeyObject Node makes of the file for `use` ('sign': private, 'verify': public). */
function keyObject(file, use) {
  const bytes = read(file);
  const passphrase = isEncrypted(file) ? PASSPHRASE : undefined;
  if (!isDer(file)) {
    const input = { key: bytes.toString('utf8'), passphrase };
    return use === 'sign' ? crypto.createPrivateKey(input) : crypto.createPublicKey(input);
  }
  if (use === 'verify' && isCertificate(file)) return new crypto.X509Certificate(bytes).publicKey;
  // A DER key says nothing of its type: try each, as a caller who knows it would name it.
  const create = use === 'sign' ? crypto.createPrivateKey : crypto.createPublicKey;
  const types = use === 'sign' ? ['pkcs8', 'pkcs1', 'sec1'] : ['spki', 'pkcs1', 'pkcs8', 'sec1'];
  let firstError;
  for (const type of types) {
    try {
      return create({ key: bytes, format: 'der', type, passphrase });
    } catch (error) {
      firstError = firstError || error;
    }
  }
  throw firstError;
}

const keyObjects = new Map();

/** The key argument of a row; `{ unavailable: true }` when Node makes no KeyObject of it. */
function keyArgument(file, as, use) {
  if (as === 'keyobject') {
    const cacheKey = `${use}/${file}`;
    if (!keyObjects.has(cacheKey)) {
      try {
        keyObjects.set(cacheKey, { key: keyObject(file, use) });
      } catch (_) {
        keyObjects.set(cacheKey, { unavailable: true });
      }
    }
    return keyObjects.get(cacheKey);
  }
  const bytes = read(file);
  const material = as === 'text' ? bytes.toString('utf8') : bytes;
  return { key: isEncrypted(file) ? { key: material, passphrase: PASSPHRASE } : material };
}

const SIGN_OPTIONS = (alg) => ({ algorithm: alg, noTimestamp: true });
const VERIFY_OPTIONS = (alg) => ({ algorithms: [alg] });
/** Options for the group tokens: jsonwebtoken's key checks off, to have a token of each kind. */
const TOKEN_OPTIONS = (alg) => ({ ...SIGN_OPTIONS(alg), allowInsecureKeySizes: true, allowInvalidAsymmetricKeyTypes: true });

const isRandomized = (alg) => /^(ES|PS)/.test(alg);
const headerAndPayload = (token) => token.split('.').slice(0, 2).join('.');

/** Every sign row: key file, argument kind, algorithm. */
function signRows() {
  const rows = [];
  for (const file of keyFiles()) {
    for (const as of argumentKinds(file)) {
      for (const alg of SIGN_ALGORITHMS) rows.push({ id: `sign/${file}/${as}/${alg}`, key: file, as, alg });
    }
  }
  return rows;
}

/** The algorithm of the token from another key of the same type. */
function partnerAlgorithm(group) {
  if (group.startsWith('rsapss')) return 'PS256';
  if (group.startsWith('rsa')) return 'RS256';
  return { 256: 'ES256', 384: 'ES384', 521: 'ES512' }[group.slice(2, 5)];
}

/**
 * Every verify row: key file, argument kind, algorithm and the token (its name in `tokens`):
 * the key's own group's token of that algorithm, or the reference token where the group has
 * none, and one token from another key of the same type.
 */
function verifyRows(tokens) {
  const rows = [];
  for (const file of keyFiles()) {
    const group = groupOf(file);
    for (const as of argumentKinds(file)) {
      for (const alg of VERIFY_ALGORITHMS) {
        const own = `${group}/${alg}`;
        const token = tokens[own] ? own : `${referenceGroup(alg)}/${alg}`;
        rows.push({ id: `verify/${file}/${as}/${alg}`, key: file, as, alg, token });
      }
      const { partner } = GROUPS[group];
      if (partner) {
        const alg = partnerAlgorithm(group);
        rows.push({ id: `verify/${file}/${as}/${alg}/other-key`, key: file, as, alg, token: `${partner}/${alg}` });
      }
    }
  }
  return rows;
}

/** What a row's call does: `{ token }`, `{ result }`, `{ error }` or `{ no_key_object: true }`. */
function outcome(run) {
  try {
    return run();
  } catch (error) {
    return { error: encodeError(error) };
  }
}

function runSign(jwt, row) {
  const argument = keyArgument(row.key, row.as, 'sign');
  if (argument.unavailable) return { no_key_object: true };
  return outcome(() => ({ token: jwt.sign(PAYLOAD, argument.key, SIGN_OPTIONS(row.alg)) }));
}

function runVerify(jwt, row, token) {
  const argument = keyArgument(row.key, row.as, 'verify');
  if (argument.unavailable) return { no_key_object: true };
  return outcome(() => ({ result: jwt.verify(token, argument.key, VERIFY_OPTIONS(row.alg)) }));
}

/** The algorithms a group's key is made for (none for the key types no algorithm uses). */
function naturalAlgorithms(group) {
  if (group.startsWith('rsapss')) return ['PS256', 'PS384', 'PS512'];
  if (group.startsWith('rsa')) return ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
  const es = { ec256: 'ES256', ec384: 'ES384', ec521: 'ES512' }[group.slice(0, 5)];
  return es ? [es] : [];
}

/** Each group's tokens (made by jsonwebtoken), and the reference secret's. */
function groupTokens(jwt) {
  const tokens = {};
  for (const [group, { private: file }] of Object.entries(GROUPS)) {
    const key = read(file).toString('utf8');
    for (const alg of naturalAlgorithms(group)) {
      try {
        tokens[`${group}/${alg}`] = jwt.sign(PAYLOAD, key, TOKEN_OPTIONS(alg));
      } catch (_) { /* e.g. PS512 with RSA-1024: the reference token stands in */ }
    }
  }
  for (const alg of VERIFY_ALGORITHMS.filter((a) => a.startsWith('HS'))) {
    tokens[`secret/${alg}`] = jwt.sign(PAYLOAD, SECRET, SIGN_OPTIONS(alg));
  }
  return tokens;
}

module.exports = {
  PASSPHRASE, PAYLOAD, SECRET, GROUPS, SIGN_ALGORITHMS, VERIFY_ALGORITHMS,
  groupOf, keyFiles, isRandomized, headerAndPayload, signRows, verifyRows,
  runSign, runVerify, groupTokens, keyArgument, SIGN_OPTIONS, VERIFY_OPTIONS,
};
