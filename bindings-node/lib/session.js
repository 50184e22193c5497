'use strict';

// The jwt-session client on Node's built-in fetch: trade a Qlik token for a session, then call
// the REST API and open the engine websocket with it. The protocol's names, the reading of
// Qlik's error bodies and the hint about the token come from the core.
//
// Reuse a session for every call: Qlik allows 100 logins a minute per tenant. A token's jti is
// accepted once, so a retried login needs a newly signed token: `loginWith` signs one per
// attempt.

const native = require('./native');

const protocol = Object.freeze(native.qlikProtocol());

/** Qlik refused a call: its error body's fields, and for a login the core's hint. */
class QlikApiError extends Error {
  constructor(parts) {
    super(parts.message);
    this.name = 'QlikApiError';
    /** The HTTP status. */
    this.status = parts.status;
    /** Qlik's code, e.g. `INTERNAL-TOKEN-1` (empty when the body had none). */
    this.code = parts.code;
    /** Qlik's title. */
    this.title = parts.title;
    /** Qlik's detail, or `null`. */
    this.detail = parts.detail ?? null;
    /** The response's traceId, for Qlik support, or `null`. */
    this.traceId = parts.traceId ?? null;
    /** What the core's checks find wrong with the token of a refused login, or `null`. */
    this.hint = parts.hint ?? null;
  }
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

async function errorOf(response, token) {
  const body = await response.text();
  return new QlikApiError(native.qlikErrorOf(response.status, body, token, nowSeconds()));
}

/** The tenant's origin, e.g. `https://acme.eu.qlikcloud.com`, as the core reads `tenantUrl`. */
function baseUrlOf(tenantUrl) {
  const { origin, problem } = native.tenantOrigin(String(tenantUrl));
  if (problem) throw new TypeError(problem);
  return origin;
}

/** The cookies a response sets, added to `jar` (a Map of name to value). */
function keepCookies(jar, response) {
  for (const line of response.headers.getSetCookie()) {
    const pair = line.split(';', 1)[0];
    const at = pair.indexOf('=');
    if (at > 0) jar.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
  }
}

const sessionState = new WeakMap();

/** A logged-in session: the cookies of the login and the CSRF token. Reuse it. */
class QlikSession {
  constructor(state) {
    sessionState.set(this, state);
  }

  /** The tenant's base URL. */
  get baseUrl() {
    return sessionState.get(this).baseUrl;
  }

  /** The session's CSRF token (sent as `qlik-csrf-token` on non-GET calls). */
  get csrfToken() {
    return sessionState.get(this).csrfToken;
  }

  /** The names of the session cookies. */
  get cookieNames() {
    return [...sessionState.get(this).cookies.keys()];
  }

  /** The session cookies as a `Cookie` header value. */
  get cookieHeader() {
    return [...sessionState.get(this).cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /**
   * `fetch` of `path` (e.g. `/api/v1/users/me`) on the tenant with the session cookies, the
   * `qlik-csrf-token` header on every method but GET and HEAD, and the web integration id. A
   * non-2xx answer throws a `QlikApiError`.
   */
  async fetch(path, init = {}) {
    const state = sessionState.get(this);
    const problem = native.pathProblem(String(path));
    if (problem) throw new TypeError(problem);
    const method = (init.method || 'GET').toUpperCase();
    const headers = new Headers(init.headers);
    headers.set('cookie', this.cookieHeader);
    if (method !== 'GET' && method !== 'HEAD') headers.set(protocol.csrfHeader, state.csrfToken);
    if (state.webIntegrationId) headers.set(protocol.webIntegrationIdHeader, state.webIntegrationId);
    const response = await fetch(state.baseUrl + path, {
      redirect: 'manual',
      signal: AbortSignal.timeout(state.timeoutMs),
      ...init,
      method,
      headers,
    });
    keepCookies(state.cookies, response);
    if (!response.ok) throw await errorOf(response);
    return response;
  }

  /**
   * `method path` with `body` sent as JSON when given; resolves to the parsed JSON answer, the
   * text of a non-JSON answer, or `null` for an empty one.
   */
  async request(method, path, body) {
    const init = { method };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { 'content-type': 'application/json' };
    }
    const response = await this.fetch(path, init);
    const text = await response.text();
    if (text === '') return null;
    const type = response.headers.get('content-type') || '';
    return type.includes('json') ? JSON.parse(text) : text;
  }

  /** `GET path`, parsed. */
  get(path) {
    return this.request('GET', path);
  }

  /** `POST path` with a JSON body, parsed. */
  post(path, body) {
    return this.request('POST', path, body);
  }

  /** `PUT path` with a JSON body, parsed. */
  put(path, body) {
    return this.request('PUT', path, body);
  }

  /** `PATCH path` with a JSON body, parsed. */
  patch(path, body) {
    return this.request('PATCH', path, body);
  }

  /** `DELETE path`, parsed. */
  delete(path) {
    return this.request('DELETE', path);
  }

  /** The engine websocket URL of app `appId`: `wss://<tenant>/app/<appId>?qlik-csrf-token=…`. */
  websocketUrl(appId) {
    const state = sessionState.get(this);
    return native.engineWebsocketUrl(
      state.baseUrl,
      String(appId),
      state.csrfToken,
      state.webIntegrationId || undefined,
    );
  }

  /** The headers the engine websocket needs: the session cookies. */
  websocketHeaders() {
    return { Cookie: this.cookieHeader };
  }

  /** The tenant and the cookie names, never the cookie values. */
  [Symbol.for('nodejs.util.inspect.custom')]() {
    return `QlikSession { baseUrl: ${JSON.stringify(this.baseUrl)}, cookies: ${JSON.stringify(this.cookieNames)} }`;
  }

  toJSON() {
    return { baseUrl: this.baseUrl, cookieNames: this.cookieNames };
  }
}

/**
 * `login(tenantUrl, token, { webIntegrationId, timeoutMs })`: `POST /login/jwt-session` with
 * `Authorization: Bearer <token>`, then `GET /api/v1/csrf-token`. Resolves to a `QlikSession`;
 * a refusal rejects with a `QlikApiError` whose `hint` says what the core finds wrong with the
 * token. Reuse the session: Qlik allows 100 logins a minute. Never retry with the same token:
 * its jti was used (see `loginWith`).
 */
async function login(tenantUrl, token, options = {}) {
  if (typeof token !== 'string') throw new TypeError(`token must be a string, not ${typeof token}`);
  const problem = native.loginTokenProblem(token);
  if (problem) throw new TypeError(problem);
  const { webIntegrationId, timeoutMs = protocol.timeoutMs } = options || {};
  const baseUrl = baseUrlOf(tenantUrl);
  const headers = { authorization: `Bearer ${token}` };
  if (webIntegrationId) headers[protocol.webIntegrationIdHeader] = webIntegrationId;
  const response = await fetch(baseUrl + protocol.loginPath, {
    method: 'POST',
    headers,
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok) throw await errorOf(response, token);
  const cookies = new Map();
  keepCookies(cookies, response);
  await response.arrayBuffer();
  if (cookies.size === 0) {
    throw new Error(native.noSessionCookies(response.status));
  }
  const state = { baseUrl, cookies, csrfToken: '', webIntegrationId, timeoutMs };
  const session = new QlikSession(state);
  const csrf = await session.fetch(protocol.csrfTokenPath);
  await csrf.arrayBuffer();
  const csrfToken = csrf.headers.get(protocol.csrfHeader);
  if (!csrfToken) {
    throw new Error(native.noCsrfToken());
  }
  state.csrfToken = csrfToken;
  return session;
}

const RETRIED_STATUSES = new Set(protocol.retriedStatuses);

function retryable(error) {
  if (error instanceof QlikApiError) return RETRIED_STATUSES.has(error.status);
  // fetch rejects with a TypeError when the tenant cannot be reached, and a timeout aborts.
  return error instanceof TypeError || (error && error.name === 'TimeoutError');
}

/**
 * `loginWith(tenantUrl, signer, user, { webIntegrationId, timeoutMs, retries, retryDelayMs })`:
 * `login` with a token that `signer` (a `QlikSigner`) signs for `user` on every attempt, so a
 * retry never reuses a jti. Retries only what a retry can cure: an unreachable tenant and the
 * statuses of `protocol.retriedStatuses` (429/502/503/504), after `retryDelayMs`, doubling. The
 * defaults are the core's (`protocol.loginRetries`, `protocol.retryDelayMs`).
 */
async function loginWith(tenantUrl, signer, user, options = {}) {
  const { retries = protocol.loginRetries, retryDelayMs = protocol.retryDelayMs, ...loginOptions } =
    options || {};
  for (let attempt = 0; ; attempt += 1) {
    const token = typeof signer.signAsync === 'function' ? await signer.signAsync(user) : signer.sign(user);
    try {
      return await login(tenantUrl, token, loginOptions);
    } catch (error) {
      if (attempt >= retries || !retryable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, native.loginRetryWait(retryDelayMs, attempt)));
    }
  }
}

module.exports = { login, loginWith, QlikSession, QlikApiError, protocol };
