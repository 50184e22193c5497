'use strict';

// qlik-jwt: a drop-in for jsonwebtoken 9.0.3 on a Rust core, plus Qlik Cloud tokens.
//
// This file only arranges jsonwebtoken's call forms (optional options, callbacks, key-retrieval
// functions) and hands the arguments to the native addon as they are; every check, default and
// message comes from the core. Callback and promise forms sign and verify on the libuv pool when
// the key is an RSA or EC key; a secret's MAC costs less than the trip, and is made here (and a
// verify callback then runs before verify returns, as jsonwebtoken's always does).

const { KeyObject } = require('node:crypto');
const { inspect } = require('node:util');

const native = require('./lib/native');
const { JsonWebTokenError, NotBeforeError, TokenExpiredError, toError } = require('./lib/errors');
const { jsonArgs } = require('./lib/json-args');

/** The export of each KeyObject seen: a KeyObject never changes, so it is exported once. */
const exportOf = new WeakMap();

/** A KeyObject goes to the addon as its DER export and its `type`; anything else as it is. */
function keyParts(key) {
  if (!(key instanceof KeyObject)) return [key, undefined];
  let parts = exportOf.get(key);
  if (parts === undefined) {
    parts = exportKeyObject(key);
    exportOf.set(key, parts);
  }
  return parts;
}

function exportKeyObject(key) {
  switch (key.type) {
    case 'secret':
      return [key.export(), 'secret'];
    case 'private':
      return [key.export({ format: 'der', type: 'pkcs8' }), 'private'];
    default:
      return [key.export({ format: 'der', type: 'spki' }), 'public'];
  }
}

function isFailure(result) {
  return result instanceof native.Failure;
}

/**
 * The result of a synchronous native call, or its failure thrown with a stack trace that
 * starts at the caller of `boundary` (the public function), as jsonwebtoken's start in it.
 */
function unwrap(result, boundary) {
  if (isFailure(result)) throw toError(result, boundary);
  return result;
}

/**
 * A decoded payload or token from the addon: JSON text that V8's `JSON.parse` rebuilds much
 * faster than the addon could build the object, or (for values JSON cannot carry exactly) the
 * value itself in a one-element array.
 */
function revive(result) {
  return typeof result === 'string' ? JSON.parse(result) : result[0];
}

/** Calls `callback` outside the promise machinery, so that what it throws is uncaught. */
function later(callback, ...args) {
  process.nextTick(callback, ...args);
}

function once(callback) {
  let called = false;
  return (...args) => {
    if (called) return undefined;
    called = true;
    return callback(...args);
  };
}

/** Settles a jsonwebtoken-style callback from a native promise of a result or failure. */
function settle(promise, callback, onResult) {
  promise.then(
    (result) => {
      if (isFailure(result)) return later(callback, toError(result));
      return later(callback, null, onResult(result));
    },
    (error) => later(callback, error),
  );
}

/** A verification's outcome to `callback` now; the callback's return value is verify's. */
function callBackNow(callback, result) {
  return isFailure(result) ? callback(toError(result)) : callback(null, revive(result));
}

/** `mutatePayload`: the caller's object receives the claims the core signed. */
function signed(payload, result) {
  if (typeof result === 'string') return result;
  if (result.mutates && payload !== null && typeof payload === 'object') {
    for (const [name, value] of result.assigned) payload[name] = value;
    for (const name of result.removed) delete payload[name];
  }
  return result.token;
}

/**
 * `jwt.sign(payload, secretOrPrivateKey[, options][, callback])`: the token, or with a callback
 * `callback(err, token)` after signing (on the libuv pool, unless the key is a secret).
 */
function sign(payload, secretOrPrivateKey, options, callback) {
  if (typeof options === 'function') {
    callback = options;
    options = {};
  }
  const [key, keyType] = keyParts(secretOrPrivateKey);
  const now = Date.now();
  const args = jsonArgs(payload, options);
  if (callback) {
    const pending = native.signStart(args.payload, key, keyType, args.options, now, args.bits);
    // As in jsonwebtoken, a validation failure reaches the callback before sign returns.
    if (isFailure(pending)) return callback(toError(pending));
    // A secret's MAC costs less than a trip to the pool: it is made now and delivered as the
    // pool's signature would be, after sign returns (jsonwebtoken's sign calls back later too).
    const here = pending.finishHere();
    const outcome = here === null ? pending.finish() : Promise.resolve(here);
    settle(outcome, once(callback), (result) => signed(payload, result));
    return undefined;
  }
  const result = native.sign(args.payload, key, keyType, args.options, now, args.bits);
  return signed(payload, unwrap(result, sign));
}

/**
 * `jwt.verify(token, secretOrPublicKey[, options][, callback])`: the payload, or with a callback
 * `callback(err, payload)`: before verify returns, as in jsonwebtoken, when the key is a secret;
 * after verifying on the libuv pool when it is an RSA or EC key. The key may be a function
 * `(header, cb)` that chooses it (callback form only, as in jsonwebtoken).
 */
function verify(token, secretOrPublicKey, options, callback) {
  if (typeof options === 'function' && !callback) {
    callback = options;
    options = {};
  }
  const now = Date.now();
  if (typeof secretOrPublicKey === 'function') {
    return verifyWithKeyFunction(token, secretOrPublicKey, options, callback, now);
  }
  const [key, keyType] = keyParts(secretOrPublicKey);
  const args = jsonArgs(undefined, options);
  if (callback) {
    const pending = native.verifyStart(token, args.options, now, args.bits);
    // As in jsonwebtoken, a failure found before the key is needed reaches the callback before
    // verify returns.
    if (isFailure(pending)) return callback(toError(pending));
    // With a secret the whole verification ran here, and as in jsonwebtoken the callback runs
    // before verify returns. An RSA or EC key's goes to the pool, and calls back later.
    const here = pending.finishHere(key, keyType);
    if (here !== null) return callBackNow(callback, here);
    settle(pending.finish(key, keyType), callback, revive);
    return undefined;
  }
  const result = native.verify(token, key, keyType, args.options, now, args.bits);
  return revive(unwrap(result, verify));
}

function verifyWithKeyFunction(token, getKey, options, callback, now) {
  const args = jsonArgs(undefined, options);
  const pending = native.verifyStart(token, args.options, now, args.bits);
  if (!callback) {
    unwrap(pending, verify);
    throw toError(native.callbackRequiredFailure(), verify);
  }
  if (isFailure(pending)) return callback(toError(pending));
  const done = once(callback);
  // As in jsonwebtoken, what the key function returns is verify's return, and what it reports,
  // or a verification with a secret, reaches the callback from within its own callback.
  return getKey(pending.header, once((error, chosenKey) => {
    if (error) return done(toError(native.keyCallbackFailure(String(error.message))));
    const [key, keyType] = keyParts(chosenKey);
    const here = pending.finishHere(key, keyType);
    if (here !== null) return callBackNow(done, here);
    settle(pending.finish(key, keyType), done, revive);
    return undefined;
  }));
}

/** `jwt.decode(token[, options])`: the payload, the complete token, or `null`. */
function decode(token, options) {
  const args = jsonArgs(undefined, options);
  return revive(unwrap(native.decode(token, args.options, args.bits), decode));
}

/** `sign` as a promise, computed as the callback form computes it. */
function signAsync(payload, secretOrPrivateKey, options) {
  return new Promise((resolve, reject) => {
    sign(payload, secretOrPrivateKey, options, (error, token) =>
      error ? reject(error) : resolve(token),
    );
  });
}

/**
 * `verify` as a promise, computed as the callback form computes it; the key may be a retrieval
 * function.
 */
function verifyAsync(token, secretOrPublicKey, options) {
  return new Promise((resolve, reject) => {
    verify(token, secretOrPublicKey, options, (error, payload) =>
      error ? reject(error) : resolve(payload),
    );
  });
}

function describeType(value) {
  return value === null ? 'null' : typeof value;
}

function typeError(message, boundary) {
  const error = new TypeError(message);
  if (Error.captureStackTrace) Error.captureStackTrace(error, boundary);
  return error;
}

/** The Qlik API's object arguments: a TypeError naming the parameter instead of a napi one. */
function expectObject(value, name, boundary) {
  if (value === null || typeof value !== 'object') {
    throw typeError(`${name} must be an object, not ${describeType(value)}`, boundary);
  }
}

const signerOf = new WeakMap();

/** A Qlik Cloud token signer made once from the identity provider's settings. */
class QlikSigner {
  constructor(nativeSigner) {
    signerOf.set(this, nativeSigner);
  }

  /** A valid Qlik token for `user` ({ sub, name, email, emailVerified, groups }). */
  sign(user) {
    expectObject(user, 'user', this.sign);
    return unwrap(signerOf.get(this).sign(user, Math.floor(Date.now() / 1000)), this.sign);
  }

  /** `sign` on the libuv pool. */
  signAsync(user) {
    let pending;
    try {
      expectObject(user, 'user', this.signAsync);
      pending = signerOf.get(this).signAsync(user, Math.floor(Date.now() / 1000));
    } catch (error) {
      // A user napi cannot convert rejects, as a promise API must, rather than throwing.
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      settle(pending, (error, token) => (error ? reject(error) : resolve(token)), (token) => token);
    });
  }

  /** The settings, never the key. */
  [inspect.custom](depth, options, inspectValue = inspect) {
    const { keyId, issuer, algorithm, notBeforeSkewSeconds, lifetimeSeconds } = signerOf.get(this).settings;
    const shown = { keyId, issuer, algorithm, notBeforeSkewSeconds, lifetimeSeconds, privateKey: '[redacted]' };
    return `QlikSigner ${inspectValue(shown, options)}`;
  }
}

/**
 * `createQlikSigner({ privateKey, keyId, issuer, algorithm?, notBeforeSkewSeconds?,
 * lifetimeSeconds? })`: a signer whose `sign(user)` makes tokens Qlik Cloud accepts.
 */
function createQlikSigner(options) {
  expectObject(options, 'options', createQlikSigner);
  const { privateKey, ...settings } = options;
  const [key, keyType] = keyParts(privateKey);
  return new QlikSigner(unwrap(native.createQlikSigner(key, keyType, settings), createQlikSigner));
}

/**
 * `explainQlikToken(token, { issuer, keyId, certificate, clockToleranceSec })`: every
 * reason Qlik Cloud would refuse the token, as `{ code, severity, message }`; empty when it
 * would accept it.
 */
function explainQlikToken(token, provider) {
  if (typeof token !== 'string') {
    throw typeError(`token must be a string, not ${describeType(token)}`, explainQlikToken);
  }
  const { certificate, ...settings } = provider || {};
  const [key, keyType] = keyParts(certificate);
  return unwrap(
    native.explainQlikToken(token, settings, key, keyType, Math.floor(Date.now() / 1000)),
    explainQlikToken,
  );
}

const clientManagedSignerOf = new WeakMap();

/** A client-managed (JWT virtual proxy) token signer made once from the proxy's settings. */
class ClientManagedSigner {
  constructor(nativeSigner) {
    clientManagedSignerOf.set(this, nativeSigner);
  }

  /**
   * A token the virtual proxy accepts for `user`: `{ userId, userDirectory, ...claims }`, the
   * other claims by their JWT names (`name`, the attribute map's `groups`, ...).
   */
  sign(user) {
    expectObject(user, 'user', this.sign);
    const { userId, userDirectory, ...attributes } = user;
    for (const [name, value] of [['userId', userId], ['userDirectory', userDirectory]]) {
      if (typeof value !== 'string') {
        throw typeError(`user.${name} must be a string, not ${describeType(value)}`, this.sign);
      }
    }
    const nativeSigner = clientManagedSignerOf.get(this);
    const now = Math.floor(Date.now() / 1000);
    return unwrap(nativeSigner.sign(userId, userDirectory, JSON.stringify(attributes), now), this.sign);
  }

  /** The algorithm, never the key. */
  [inspect.custom](depth, options, inspectValue = inspect) {
    const shown = { algorithm: clientManagedSignerOf.get(this).algorithm, privateKey: '[redacted]' };
    return `ClientManagedSigner ${inspectValue(shown, options)}`;
  }
}

/**
 * `createClientManagedSigner({ privateKey, userIdAttribute, userDirectoryAttribute, audience?,
 * attributes?, keyId?, algorithm?, notBeforeSkewSeconds?, lifetimeSeconds? })`: a signer whose
 * `sign(user)` makes tokens a client-managed JWT virtual proxy accepts (RS256/384/512 only).
 */
function createClientManagedSigner(options) {
  expectObject(options, 'options', createClientManagedSigner);
  const { privateKey, ...settings } = options;
  const [key, keyType] = keyParts(privateKey);
  return new ClientManagedSigner(
    unwrap(native.createClientManagedSigner(key, keyType, settings), createClientManagedSigner),
  );
}

/**
 * `explainClientManagedToken(token, { userIdAttribute, userDirectoryAttribute, audience?,
 * attributes?, certificate? })`: every reason the virtual proxy would refuse the token, as
 * `{ code, severity, message }`; empty when it would accept it.
 */
function explainClientManagedToken(token, proxy) {
  if (typeof token !== 'string') {
    throw typeError(`token must be a string, not ${describeType(token)}`, explainClientManagedToken);
  }
  expectObject(proxy, 'proxy', explainClientManagedToken);
  const { certificate, ...settings } = proxy;
  const [key, keyType] = keyParts(certificate);
  const now = Math.floor(Date.now() / 1000);
  return unwrap(
    native.explainClientManagedToken(token, settings, key, keyType, now),
    explainClientManagedToken,
  );
}

const {
  generateKeys,
  generateKeysAsync,
  singleLinePem,
  identityProviderConfig,
  keyMatches,
} = require('./lib/setup');
const { virtualProxyConfig, importPfx } = require('./lib/client-managed-setup');
const { startLocalTenant } = require('./lib/tenant');
const { login, loginWith, QlikSession, QlikApiError, protocol } = require('./lib/session');
const {
  loginClientManaged,
  ClientManagedSession,
  clientManagedProtocol,
} = require('./lib/client-managed-session');
const {
  createClientAssertionSigner,
  explainClientAssertion,
  ClientAssertionSigner,
  generateOauthKeys,
  generateOauthKeysAsync,
} = require('./lib/oauth');
const { createOAuthClient, QlikOAuthClient, AccessToken, oauthProtocol } = require('./lib/oauth-client');

module.exports = {
  sign,
  verify,
  decode,
  signAsync,
  verifyAsync,
  createQlikSigner,
  explainQlikToken,
  QlikSigner,
  createClientManagedSigner,
  explainClientManagedToken,
  ClientManagedSigner,
  JsonWebTokenError,
  NotBeforeError,
  TokenExpiredError,
  // Qlik setup, local tenant and session client (lib/setup.js, lib/tenant.js, lib/session.js).
  generateKeys,
  generateKeysAsync,
  singleLinePem,
  identityProviderConfig,
  keyMatches,
  virtualProxyConfig,
  importPfx,
  startLocalTenant,
  login,
  loginWith,
  QlikSession,
  QlikApiError,
  protocol,
  // Client-managed sessions (lib/client-managed-session.js).
  loginClientManaged,
  ClientManagedSession,
  clientManagedProtocol,
  // Qlik Cloud OAuth with a private key JWT (lib/oauth.js).
  createClientAssertionSigner,
  explainClientAssertion,
  ClientAssertionSigner,
  generateOauthKeys,
  generateOauthKeysAsync,
  // OAuth access tokens with a private key JWT (lib/oauth-client.js).
  createOAuthClient,
  QlikOAuthClient,
  AccessToken,
  oauthProtocol,
};
