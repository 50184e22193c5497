'use strict';
// The keys and token contents every benchmark uses: the test fixtures in tests/keys (or, when
// they are missing, keys generated once into bench/.tmp/keys), and the Qlik tutorial's token.

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const KEYS = path.resolve(__dirname, '..', '..', 'tests', 'keys');
const TMP_KEYS = path.resolve(__dirname, '..', '.tmp', 'keys');

/** The payload, options and user of Qlik's "Create signed tokens" tutorial. */
const TUTORIAL = {
  claims: {
    sub: '0hEhiPyhMBdtOCv2UZKoLo4G24p-7R6eeGdZUQHF0-c',
    subType: 'user',
    name: 'Hardcore Harry',
    email: '',
    email_verified: true,
    groups: ['Administrators', 'Sales', 'Marketing'],
  },
  options: {
    keyid: 'my-custom-jwt',
    issuer: 'https://my-custom-jwt',
    expiresIn: '5m',
    notBefore: '0s',
    audience: 'qlik.api/login/jwt-session',
  },
  user: {
    sub: '0hEhiPyhMBdtOCv2UZKoLo4G24p-7R6eeGdZUQHF0-c',
    name: 'Hardcore Harry',
    email: '',
    emailVerified: true,
    groups: ['Administrators', 'Sales', 'Marketing'],
  },
};

/** The string secret of the HS256 case (an Express session-token secret). */
const HS_SECRET = 'express-session-secret-of-a-real-app-0123456789';

/**
 * The HS256 case is an app's own session token, not a Qlik token (Qlik refuses HMAC, and
 * qlik-jwt refuses to make an HS* token for Qlik's audience): same claims, one hour, no audience.
 */
const SESSION_OPTIONS = { issuer: 'https://my-express-app', expiresIn: '1h' };

const FILES = {
  RS4096: 'rsa4096-privatekey.pem',
  RS2048: 'rsa2048-private-pkcs8.pem',
  ES256: 'ec256-private-pkcs8.pem',
};

function privatePem(name) {
  const file = FILES[name];
  const fixture = path.join(KEYS, file);
  if (fs.existsSync(fixture)) return fs.readFileSync(fixture, 'utf8');
  const tmp = path.join(TMP_KEYS, file);
  if (!fs.existsSync(tmp)) {
    fs.mkdirSync(TMP_KEYS, { recursive: true });
    const { privateKey } = name === 'ES256'
      ? crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
      : crypto.generateKeyPairSync('rsa', { modulusLength: name === 'RS4096' ? 4096 : 2048 });
    fs.writeFileSync(tmp, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  }
  return fs.readFileSync(tmp, 'utf8');
}

/** Paths of the private PEM files, for the Python and Rust harnesses. */
function keyPaths() {
  const out = {};
  for (const name of Object.keys(FILES)) {
    privatePem(name);
    const fixture = path.join(KEYS, FILES[name]);
    out[name] = fs.existsSync(fixture) ? fixture : path.join(TMP_KEYS, FILES[name]);
  }
  return out;
}

function asymmetric(name, jwa, family) {
  const signPem = privatePem(name);
  const verifyPem = crypto.createPublicKey(signPem).export({ type: 'spki', format: 'pem' });
  return {
    name, jwa, family, signPem, verifyPem, verify: name !== 'ES256',
    options: TUTORIAL.options, lifetimeSecs: 300,
    signKeyObject: () => crypto.createPrivateKey(signPem),
    verifyKeyObject: () => crypto.createPublicKey(verifyPem),
  };
}

function keyMaterial() {
  return {
    algs: [
      asymmetric('RS4096', 'RS256', 'RS'),
      asymmetric('RS2048', 'RS256', 'RS'),
      asymmetric('ES256', 'ES256', 'ES'),
      {
        name: 'HS256', jwa: 'HS256', family: 'HS', signPem: HS_SECRET, verifyPem: HS_SECRET, verify: true,
        options: SESSION_OPTIONS, lifetimeSecs: 3600,
        signKeyObject: () => crypto.createSecretKey(Buffer.from(HS_SECRET)),
        verifyKeyObject: () => crypto.createSecretKey(Buffer.from(HS_SECRET)),
      },
    ],
  };
}

module.exports = { keyMaterial, keyPaths, TUTORIAL, HS_SECRET, SESSION_OPTIONS };

if (require.main === module) process.stdout.write(JSON.stringify({ keys: keyPaths(), hsSecret: HS_SECRET, session: SESSION_OPTIONS }));
