'use strict';

// Moving the bytes of the core's sans-IO flows on Node's built-in fetch: the one driving loop
// (send, wait, done, failed), the one reading of a response's headers, and the one mapping of
// the core's failures to JavaScript errors. The session clients and the OAuth client decide
// nothing here; the core's flows do.

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
 * The one mapping from the core's failures to JavaScript errors. An unreachable server rejects
 * with fetch's own error (`cause`) when there is one.
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

/**
 * Carries out a flow's steps from `step` until it is done (resolving to `done(step)`) or failed
 * (rejecting with the mapped error). `sign()` gives the token of a `sign` step; `withHeaders`
 * says whether the flow's `receive` takes the response headers.
 */
async function driveFlow(flow, step, { done, sign, withHeaders = true }) {
  let transportError = null;
  for (;;) {
    switch (step.kind) {
      case 'sign':
        step = flow.token(await sign());
        break;
      case 'send': {
        const { method, url, headers, body } = step.request;
        let answer;
        try {
          const response = await fetch(url, { method, headers, body, redirect: 'manual', signal: signalOf(step.request) });
          const text = await response.text();
          answer = withHeaders ? [response.status, headerPairs(response), text] : [response.status, text];
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
        return done(step);
      default:
        throw toError(step.failure, transportError);
    }
  }
}

/**
 * A call of a session: the core's request (from `state`) sent with the caller's `init`. A
 * refused answer throws the error `refusal(status, body)` gives; `dropped` names caller headers
 * the session never sends.
 */
async function sendCall(state, path, init, json, { refusal, dropped = [] }) {
  const request = state.request(String(init.method || 'GET'), String(path), json);
  if (request.code !== undefined) throw toError(request);
  const headers = new Headers(init.headers);
  for (const name of dropped) headers.delete(name);
  for (const [name, value] of request.headers) headers.set(name, value);
  const response = await fetch(request.url, {
    redirect: 'manual',
    signal: signalOf(request),
    ...init,
    method: request.method,
    headers,
  });
  if (!state.receive(request.url, response.status, headerPairs(response))) {
    throw toError(refusal(response.status, await response.text()));
  }
  return response;
}

/**
 * Gives `SessionClass` the calls every session has: `fetch(path, init)`, `request(method, path,
 * body)` (the parsed JSON answer, the text of a non-JSON one, or `null` for an empty one) and
 * its shorthands, all over `send(session, path, init, json)`, the session's own call. They are
 * not enumerable, as a class's own methods are not.
 */
function addSessionCalls(SessionClass, send) {
  const calls = {
    fetch(path, init = {}) {
      return send(this, path, init || {}, false);
    },
    async request(method, path, body) {
      const init = { method };
      if (body !== undefined) init.body = JSON.stringify(body);
      const response = await send(this, path, init, body !== undefined);
      const text = await response.text();
      if (text === '') return null;
      const type = response.headers.get('content-type') || '';
      return type.includes('json') ? JSON.parse(text) : text;
    },
    get(path) {
      return this.request('GET', path);
    },
    post(path, body) {
      return this.request('POST', path, body);
    },
    put(path, body) {
      return this.request('PUT', path, body);
    },
    delete(path) {
      return this.request('DELETE', path);
    },
  };
  for (const [name, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(calls))) {
    Object.defineProperty(SessionClass.prototype, name, { ...descriptor, enumerable: false });
  }
}

module.exports = { QlikApiError, toError, headerPairs, signalOf, driveFlow, sendCall, addSessionCalls };
