'use strict';

// OAuth access tokens for Qlik Cloud with a private key JWT, on Node's built-in fetch. The core
// (src/oauth.rs) signs each client assertion, builds each request, reads each answer, decides
// retries and keeps the token cache; this file sends the requests, waits, and makes concurrent
// callers of the same token share one request (single flight).

const { inspect } = require('node:util');

const native = require('./native');
const { keyInput, unwrap } = require('./setup');
const { QlikApiError } = require('./session');

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

/** The one mapping from the core's token failures to JavaScript errors. */
function toError(failure, cause) {
  switch (failure.code) {
    case 'ERR_QLIK_REFUSED':
      return new QlikApiError({ ...failure, code: failure.qlikCode });
    case 'ERR_UNREACHABLE':
      if (cause) return cause;
      break;
    case 'ERR_INVALID_URL':
    case 'ERR_INVALID_ARGUMENT':
      return Object.assign(new TypeError(failure.message), { code: failure.code });
    default:
  }
  return Object.assign(new Error(failure.message), { code: failure.code });
}

/** Carries out a token request's steps until it gives a token or an error. */
async function drive(exchange) {
  let step = exchange.begin();
  let transportError = null;
  for (;;) {
    switch (step.kind) {
      case 'send': {
        const { method, url, headers, body, timeoutMs } = step.request;
        let answer;
        try {
          const response = await fetch(url, {
            method,
            headers,
            body,
            redirect: 'manual',
            signal: AbortSignal.timeout(Math.ceil(timeoutMs)),
          });
          answer = [response.status, await response.text()];
        } catch (error) {
          transportError = error;
          step = exchange.unreachable(String(error && error.message ? error.message : error));
          break;
        }
        step = exchange.receive(...answer);
        break;
      }
      case 'wait':
        await new Promise((resolve) => setTimeout(resolve, step.waitMs));
        step = exchange.waited();
        break;
      case 'done':
        return new AccessToken(step.token);
      default:
        throw toError(step.failure, transportError);
    }
  }
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
