'use strict';

// The client-managed (Qlik Sense Enterprise on Windows) session client on Node's fetch: one
// Bearer call to a JWT virtual proxy's /qps/csrftoken opens a proxy session; the session then
// sends the proxy's cookie (never the token again), a fresh xrfkey on QRS calls, and gives the
// engine websocket's URL (with qlik-csrf-token) and headers. Every decision (the proxy URL and
// prefix, which cookie is the session's, the xrfkey, retries, the reading of refusals and their
// hints) is the core's (src/client_managed_session.rs); this file sends the requests it asks for
// and reports the answers.
//
// Reuse a session: each login opens another proxy session, and a user may hold 5 at once.

const native = require('./native');
const { toError, driveFlow, sendCall, addSessionCalls } = require('./fetch-flow');

const clientManagedProtocol = Object.freeze(native.clientManagedProtocol());

const sessionState = new WeakMap();

/** A call of a session: the core's request, sent with the caller's `init`. */
function send(session, path, init, json) {
  // The session is the cookie: a caller's Authorization would open another proxy session.
  return sendCall(sessionState.get(session), path, init, json, {
    refusal: native.clientManagedRefusal,
    dropped: ['authorization'],
  });
}

/** A client-managed proxy session: the proxy's session cookie and the CSRF token. Reuse it. */
class ClientManagedSession {
  constructor(state) {
    sessionState.set(this, state);
  }

  /** The proxy's base URL with its prefix, e.g. `https://sense.example.com/jwt`. */
  get baseUrl() {
    return sessionState.get(this).baseUrl;
  }

  /** The proxy's origin (the websocket's `Origin`). */
  get origin() {
    return sessionState.get(this).origin;
  }

  /** The CSRF token of `/qps/csrftoken` (the websocket's `qlik-csrf-token`). */
  get csrfToken() {
    return sessionState.get(this).csrfToken;
  }

  /** The session cookie's name, e.g. `X-Qlik-Session-jwt`. */
  get cookieName() {
    return sessionState.get(this).cookieName;
  }

  /** The session cookie, `{ name, value }` (the value is the session: keep it secret). */
  get cookie() {
    const state = sessionState.get(this);
    return { name: state.cookieName, value: state.cookieValue ?? '' };
  }

  /** The session cookies as a `Cookie` header value. */
  get cookieHeader() {
    return sessionState.get(this).cookieHeader;
  }

  /** The engine websocket URL of `appId`: `wss://<host>/<prefix>/app/<appId>?qlik-csrf-token=…`. */
  websocketUrl(appId) {
    return sessionState.get(this).websocketUrl(String(appId));
  }

  /** The websocket upgrade's headers: `Cookie` and `Origin` (never `Authorization`). */
  websocketHeaders() {
    return Object.fromEntries(sessionState.get(this).websocketHeaders());
  }

  /** The proxy and the cookie's name, never its value. */
  [Symbol.for('nodejs.util.inspect.custom')]() {
    return `ClientManagedSession { baseUrl: ${JSON.stringify(this.baseUrl)}, cookieName: ${JSON.stringify(this.cookieName)} }`;
  }

  toJSON() {
    return { baseUrl: this.baseUrl, cookieName: this.cookieName };
  }
}

// `fetch(path, init)` of `path` under the prefix (e.g. `/qrs/about`) with the session cookie
// and, on QRS paths, a fresh xrfkey (query parameter and header); a non-2xx answer throws a
// `QlikApiError`. `request`, `get`, `post`, `put`, `delete`: the same, parsed.
addSessionCalls(ClientManagedSession, send);

/**
 * `loginClientManaged(baseUrl, token, { timeoutMs, sessionCookieName, retries, retryDelayMs })`:
 * `GET <baseUrl>/qps/csrftoken` with `Authorization: Bearer <token>`; resolves to a
 * `ClientManagedSession`. `baseUrl` is the virtual proxy's, prefix included
 * (`https://sense.example.com/jwt`). A refusal rejects with a `QlikApiError` whose `hint` says
 * what it most likely means. Retries only an unreachable proxy and HTTP 429/502/503/504.
 */
async function loginClientManaged(baseUrl, token, options = {}) {
  const { timeoutMs, sessionCookieName, retries, retryDelayMs } = options || {};
  const flow = native.startClientManagedLogin(String(baseUrl), typeof token === 'string' ? token : '', {
    timeoutMs,
    sessionCookieName: sessionCookieName || undefined,
    retries,
    retryDelayMs,
  });
  if (!(flow instanceof native.NativeClientManagedLogin)) throw toError(flow);
  return driveFlow(flow, flow.start(), { done: () => new ClientManagedSession(flow.session()) });
}

module.exports = { loginClientManaged, ClientManagedSession, clientManagedProtocol };
