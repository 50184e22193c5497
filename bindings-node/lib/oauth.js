'use strict';

// Qlik Cloud OAuth with a private key JWT: the client assertion signer, the explanation of an
// assertion, and the OAuth key pair with its public JWK. Arguments go to the core as they are;
// every rule, default and message is the core's.

const { KeyObject } = require('node:crypto');
const { inspect } = require('node:util');

const native = require('./native');
const { toError } = require('./errors');

function unwrap(result, boundary) {
  if (result instanceof native.Failure) throw toError(result, boundary);
  return result;
}

function typeError(message, boundary) {
  const error = new TypeError(message);
  if (boundary) Error.captureStackTrace(error, boundary);
  return error;
}

function describeType(value) {
  return value === null ? 'null' : typeof value;
}

function expectObject(value, name, boundary) {
  if (value === null || typeof value !== 'object') {
    throw typeError(`${name} must be an object, not ${describeType(value)}`, boundary);
  }
}

function nowSeconds() {
  return Math.floor(Date.now() / 1000);
}

/** A key as the addon takes it: a KeyObject as its DER export and type, anything else as is. */
function keyParts(key) {
  if (!(key instanceof KeyObject)) return [key, undefined];
  if (key.type === 'private') return [key.export({ format: 'der', type: 'pkcs8' }), 'private'];
  if (key.type === 'public') return [key.export({ format: 'der', type: 'spki' }), 'public'];
  return [key.export(), 'secret'];
}

/**
 * A private JWK as the addon reads one (`{ key, format: 'jwk' }`, Node's `createPrivateKey`
 * form): a plain JWK object or its JSON text, as Python takes a JWK dict and the command a JWK
 * file. Anything else goes on as it is.
 */
function jwkForm(key) {
  if (typeof key === 'string' && key.trimStart().startsWith('{')) {
    try {
      return { key: JSON.parse(key), format: 'jwk' };
    } catch {
      return key;
    }
  }
  const plain =
    key !== null && typeof key === 'object' && !(key instanceof KeyObject) && !Buffer.isBuffer(key);
  return plain && typeof key.kty === 'string' ? { key, format: 'jwk' } : key;
}

const signerOf = new WeakMap();

/** Signs OAuth client assertions (private key JWT) made once from the key and settings. */
class ClientAssertionSigner {
  constructor(nativeSigner) {
    signerOf.set(this, nativeSigner);
  }

  /**
   * A fresh assertion for one `POST /oauth/token`: header `alg` and `kid`; `iss` = `sub` = the
   * client ID, `aud` = the tenant's token endpoint, a new UUID `jti`, `iat` now, `exp` later.
   */
  sign() {
    return unwrap(signerOf.get(this).sign(nowSeconds()), this.sign);
  }

  /** `sign` on the libuv pool. */
  async signAsync() {
    const result = await signerOf.get(this).signAsync(nowSeconds());
    if (result instanceof native.Failure) throw toError(result);
    return result;
  }

  /** The algorithm assertions are signed with. */
  get algorithm() {
    return signerOf.get(this).settings.algorithm;
  }

  /** The `aud`: the tenant's token endpoint, where assertions are sent. */
  get audience() {
    return signerOf.get(this).settings.audience;
  }

  /** The settings, never the key. */
  [inspect.custom](depth, options, inspectValue = inspect) {
    const { keyId, clientId, audience, algorithm, lifetimeSeconds } = signerOf.get(this).settings;
    const shown = { keyId, clientId, audience, algorithm, lifetimeSeconds, privateKey: '[redacted]' };
    return `ClientAssertionSigner ${inspectValue(shown, options)}`;
  }
}

/**
 * `createClientAssertionSigner({ privateKey, keyId, clientId, tenantUrl, passphrase?,
 * algorithm?, lifetimeSeconds? })`: a signer whose `sign()` makes client assertions Qlik Cloud's
 * `POST /oauth/token` accepts. The key (PEM, DER, JWK or KeyObject) is parsed once.
 */
function createClientAssertionSigner(options) {
  expectObject(options, 'options', createClientAssertionSigner);
  const { privateKey, passphrase, ...settings } = options;
  const given = passphrase === undefined ? jwkForm(privateKey) : { key: privateKey, passphrase };
  const [key, keyType] = keyParts(given);
  return new ClientAssertionSigner(
    unwrap(
      native.createClientAssertionSigner(key, keyType, settings),
      createClientAssertionSigner,
    ),
  );
}

/**
 * `explainClientAssertion(token, { clientId, tenantUrl, publicKey?, keyId?, nowSeconds? })`:
 * every reason Qlik Cloud would refuse the assertion, as `{ code, severity, message }`; empty
 * when it would accept it. `publicKey` is the registered JWK (an object or its JSON text), or a
 * PEM/DER public key or KeyObject (with `keyId` to check the `kid`).
 */
function explainClientAssertion(token, client) {
  if (typeof token !== 'string') {
    throw typeError(`token must be a string, not ${describeType(token)}`, explainClientAssertion);
  }
  expectObject(client, 'client', explainClientAssertion);
  const { publicKey, nowSeconds: at, ...settings } = client;
  let jwk;
  let key;
  let keyType;
  if (typeof publicKey === 'string' && publicKey.trimStart().startsWith('{')) {
    jwk = publicKey;
  } else if (
    publicKey !== null &&
    typeof publicKey === 'object' &&
    !(publicKey instanceof KeyObject) &&
    !Buffer.isBuffer(publicKey)
  ) {
    jwk = JSON.stringify(publicKey);
  } else if (publicKey !== undefined && publicKey !== null) {
    [key, keyType] = keyParts(publicKey);
  }
  return unwrap(
    native.explainClientAssertion(token, settings, jwk, key, keyType, at ?? nowSeconds()),
    explainClientAssertion,
  );
}

function generated(keys) {
  const out = {
    keyType: keys.keyType,
    algorithm: keys.algorithm,
    keyId: keys.keyId,
    privateKey: keys.privateKey,
    publicJwk: JSON.parse(keys.publicJwk),
  };
  if (keys.privateKeyPath !== undefined && keys.privateKeyPath !== null) {
    out.files = { privateKey: keys.privateKeyPath, publicJwk: keys.publicJwkPath };
  }
  return out;
}

/**
 * `generateOauthKeys({ keyId, keyType?, dir?, overwrite? })`: a key pair for an OAuth client's
 * private key JWT (`rsa`: RSA 4096 for RS256, the default; `ec`: P-384 for ES384) as
 * `{ keyType, algorithm, keyId, privateKey, publicJwk }`, the JWK with `kid`, `alg` and
 * `use: "sig"`. With `dir`, also writes `privatekey.pem` (mode 0600) and `publickey.jwk.json`
 * and adds `files`. Existing files are kept unless `overwrite`.
 */
function generateOauthKeys(options) {
  expectObject(options, 'options', generateOauthKeys);
  return generated(unwrap(native.generateOauthKeys(options), generateOauthKeys));
}

/** `generateOauthKeys` on the libuv pool (an RSA 4096 key takes a second or more). */
async function generateOauthKeysAsync(options) {
  expectObject(options, 'options', generateOauthKeysAsync);
  const result = await native.generateOauthKeysAsync(options);
  if (result instanceof native.Failure) throw toError(result);
  return generated(result);
}

module.exports = {
  createClientAssertionSigner,
  explainClientAssertion,
  ClientAssertionSigner,
  generateOauthKeys,
  generateOauthKeysAsync,
};
