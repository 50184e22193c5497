'use strict';

// The jwt-session client on Node's built-in fetch: trade a Qlik token for a session, then call
// the REST API and open the engine websocket with it. Every decision (the tenant URL, cookies,
// the CSRF header, timeouts, retries, the reading of Qlik's error bodies and the hint about the
// token) is the core's login protocol (src/session.rs); this file sends the requests it asks for
// and reports the answers.
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

/**
 * The one mapping from the core's session failures to JavaScript errors. An unreachable tenant
 * rejects with fetch's own error (`cause`) when there is one.
 */
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

/** Every header of `response` as `[name, value]` pairs, each `Set-Cookie` line on its own. */
function headerPairs(response) {
  const pairs = [];
  for (const [name, value] of response.headers) if (name !== 'set-cookie') pairs.push([name, value]);
  for (const line of response.headers.getSetCookie()) pairs.push(['set-cookie', line]);
  return pairs;
}

const signalOf = (request) => AbortSignal.timeout(Math.ceil(request.timeoutMs));

/** Carries out a login's steps until it gives a session or an error. */
async function drive(flow, sign) {
  let step = { kind: 'sign' };
  let transportError = null;
  for (;;) {
    switch (step.kind) {
      case 'sign':
        step = flow.token(await sign());
        break;
      case 'send': {
        const { method, url, headers } = step.request;
        let answer;
        try {
          const response = await fetch(url, { method, headers, redirect: 'manual', signal: signalOf(step.request) });
          answer = [response.status, headerPairs(response), await response.text()];
        } catch (error) {
          transportError = error;
          step = flow.unreachable(String(error && error.message ? error.message : error));
          break;
        }
        step = flow.receive(...answer);
        break;
      }
      case 'wait':
        await new Promise((resolve) => setTimeout(resolve, step.waitMs));
        step = flow.waited();
        break;
      case 'done':
        return new QlikSession(flow.session());
      default:
        throw toError(step.failure, transportError);
    }
  }
}

function startLogin(tenantUrl, options, retrying) {
  const { webIntegrationId, timeoutMs, retries, retryDelayMs } = options || {};
  const flow = native.startLogin(String(tenantUrl), {
    webIntegrationId: webIntegrationId || undefined,
    timeoutMs,
    retrying,
    retries,
    retryDelayMs,
  });
  if (flow instanceof native.NativeLogin) return flow;
  throw toError(flow);
}

const sessionState = new WeakMap();

/** A call of a session: the core's request, sent with the caller's `init`. */
async function send(session, path, init, json) {
  const state = sessionState.get(session);
  const request = state.request(String(init.method || 'GET'), String(path), json);
  if (request.code !== undefined) throw toError(request);
  const headers = new Headers(init.headers);
  for (const [name, value] of request.headers) headers.set(name, value);
  const response = await fetch(request.url, {
    redirect: 'manual',
    signal: signalOf(request),
    ...init,
    method: request.method,
    headers,
  });
  if (!state.receive(request.url, response.status, headerPairs(response))) {
    throw toError(native.sessionRefusal(response.status, await response.text()));
  }
  return response;
}

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
    return sessionState.get(this).cookieNames;
  }

  /** The session cookies as a `Cookie` header value. */
  get cookieHeader() {
    return sessionState.get(this).cookieHeader;
  }

  /**
   * `fetch` of `path` (e.g. `/api/v1/users/me`) on the tenant with the session cookies, the
   * `qlik-csrf-token` header on every method but GET and HEAD, and the web integration id. A
   * non-2xx answer throws a `QlikApiError`.
   */
  fetch(path, init = {}) {
    return send(this, path, init || {}, false);
  }

  /**
   * `method path` with `body` sent as JSON when given; resolves to the parsed JSON answer, the
   * text of a non-JSON answer, or `null` for an empty one.
   */
  async request(method, path, body) {
    const init = { method };
    if (body !== undefined) init.body = JSON.stringify(body);
    const response = await send(this, path, init, body !== undefined);
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
    return sessionState.get(this).websocketUrl(String(appId));
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
 * token. Reuse the session: Qlik allows 100 logins a minute. Never retried with the same token:
 * its jti was used (see `loginWith`).
 */
async function login(tenantUrl, token, options = {}) {
  const { webIntegrationId, timeoutMs } = options || {};
  const flow = startLogin(tenantUrl, { webIntegrationId, timeoutMs }, false);
  // A token that is not a string is refused by the core's rule for an empty one.
  return drive(flow, () => (typeof token === 'string' ? token : ''));
}

/**
 * `loginWith(tenantUrl, signer, user, { webIntegrationId, timeoutMs, retries, retryDelayMs })`:
 * `login` with a token that `signer` (a `QlikSigner`) signs for `user` on every attempt, so a
 * retry never reuses a jti. Retries only what a retry can cure: an unreachable tenant and the
 * statuses of `protocol.retriedStatuses` (429/502/503/504), after `retryDelayMs`, doubling. The
 * defaults are the core's (`protocol.loginRetries`, `protocol.retryDelayMs`).
 */
async function loginWith(tenantUrl, signer, user, options = {}) {
  const flow = startLogin(tenantUrl, options, true);
  return drive(flow, async () => {
    const token = typeof signer.signAsync === 'function' ? await signer.signAsync(user) : signer.sign(user);
    return typeof token === 'string' ? token : '';
  });
}

module.exports = { login, loginWith, QlikSession, QlikApiError, protocol };
// For the client-managed session client (client-managed-session.js): the same error mapping and
// byte moving.
module.exports.internals = { toError, headerPairs, signalOf };
