'use strict';

// OAuth access tokens for Qlik Cloud with a private key JWT, on Node's built-in fetch. The core
// (src/oauth.rs) signs each client assertion, builds each request, reads each answer, decides
// retries and keeps the token cache; this file sends the requests, waits, and makes concurrent
// callers of the same token share one request (single flight).

const { inspect } = require('node:util');

const native = require('./native');
const { keyInput, unwrap } = require('./setup');
const { toError, driveFlow } = require('./fetch-flow');

const oauthProtocol = Object.freeze(native.oauthProtocol());

/** An access token. `inspect` and `console.log` never show the token itself. */
class AccessToken {
  constructor(parts) {
    /** The token: send it as `Authorization: Bearer <accessToken>`. */
    this.accessToken = parts.accessToken;
    /** The token type Qlik gives (`bearer`). */
    this.tokenType = parts.tokenType;
    /** Seconds it was valid for when issued. */
    this.expiresIn = parts.expiresIn;
    /** When it expires, in seconds since the epoch. */
    this.expiresAt = parts.expiresAt;
    /** The scopes granted, or `null`. */
    this.scope = parts.scope ?? null;
  }

  /** The `Authorization` header value. */
  get authorization() {
    return `Bearer ${this.accessToken}`;
  }

  [inspect.custom]() {
    return `AccessToken { tokenType: ${inspect(this.tokenType)}, expiresIn: ${this.expiresIn}, expiresAt: ${this.expiresAt}, scope: ${inspect(this.scope)}, accessToken: <redacted> }`;
  }
}

/** Carries out a token request's steps until it gives a token or an error. */
function drive(exchange) {
  return driveFlow(exchange, exchange.begin(), { withHeaders: false, done: (step) => new AccessToken(step.token) });
}

const nativeOf = new WeakMap();

/**
 * An OAuth client of one tenant. Tokens are cached per grant, user and scope until shortly
 * before they expire (the core's `refreshMarginSec`); concurrent callers of the same token share
 * one request. Make one per OAuth client and reuse it.
 */
class QlikOAuthClient {
  #inFlight = new Map();

  constructor(client) {
    nativeOf.set(this, client);
  }

  /** The tenant's base URL. */
  get tenantUrl() {
    return nativeOf.get(this).tenantUrl;
  }

  /** The OAuth client ID. */
  get clientId() {
    return nativeOf.get(this).clientId;
  }

  /**
   * `getAccessToken()`: a machine-to-machine token (`client_credentials`);
   * `getAccessToken({ impersonate: subject })`: a token acting as that user (Qlik's
   * `urn:qlik:oauth:user-impersonation` grant). From the cache while fresh.
   */
  getAccessToken(options = {}) {
    const subject = options && options.impersonate !== undefined ? options.impersonate : undefined;
    if (subject !== undefined && typeof subject !== 'string') {
      return Promise.reject(new TypeError('impersonate must be the user\'s subject, a string'));
    }
    const client = nativeOf.get(this);
    const cached = client.cached(subject);
    if (cached) return Promise.resolve(new AccessToken(cached));
    const key = client.cacheKey(subject);
    const pending = this.#inFlight.get(key);
    if (pending) return pending;
    const started = client.start(subject);
    if (!(started instanceof native.NativeTokenExchange)) return Promise.reject(toError(started));
    const request = drive(started).finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, request);
    return request;
  }

  /** `impersonate(subject)`: `getAccessToken({ impersonate: subject })`. */
  impersonate(subject) {
    return this.getAccessToken({ impersonate: subject });
  }

  /** Forgets every cached token (e.g. after an API call refused one). */
  clearCache() {
    nativeOf.get(this).clearCache();
  }

  [inspect.custom]() {
    return `QlikOAuthClient { tenantUrl: ${inspect(this.tenantUrl)}, clientId: ${inspect(this.clientId)} }`;
  }
}

/**
 * `createOAuthClient({ tenantUrl, clientId, privateKey, keyId, algorithm, passphrase, scope,
 * timeoutMs, retries, retryDelayMs })`: an OAuth client that signs its client assertions with
 * `privateKey` (PEM, DER, JWK text, a Buffer or a KeyObject) whose public JWK, `keyId`, is
 * registered on the OAuth client `clientId`. Throws at once when the key or settings are not
 * what Qlik takes.
 */
function createOAuthClient(options) {
  const { tenantUrl, privateKey, clientId, keyId, ...settings } = options || {};
  const client = unwrap(
    native.createOauthClient(String(tenantUrl ?? ''), keyInput(privateKey, 'privateKey'), {
      ...settings,
      clientId: String(clientId ?? ''),
      keyId: String(keyId ?? ''),
    }),
    createOAuthClient,
  );
  return new QlikOAuthClient(client);
}

module.exports = { createOAuthClient, QlikOAuthClient, AccessToken, oauthProtocol };
