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
const { QlikApiError, toError, driveFlow, sendCall, addSessionCalls } = require('./fetch-flow');

const protocol = Object.freeze(native.qlikProtocol());

/** Carries out a login's steps until it gives a session or an error. */
function drive(flow, sign) {
  return driveFlow(flow, { kind: 'sign' }, { sign, done: () => new QlikSession(flow.session()) });
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
function send(session, path, init, json) {
  return sendCall(sessionState.get(session), path, init, json, { refusal: native.sessionRefusal });
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

  /** `PATCH path` with a JSON body, parsed. */
  patch(path, body) {
    return this.request('PATCH', path, body);
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

// `fetch(path, init)` of `path` (e.g. `/api/v1/users/me`) on the tenant with the session
// cookies, the `qlik-csrf-token` header on every method but GET and HEAD, and the web
// integration id (a non-2xx answer throws a `QlikApiError`); `request`, `get`, `post`, `put`,
// `delete`: the same, parsed.
addSessionCalls(QlikSession, send);

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
