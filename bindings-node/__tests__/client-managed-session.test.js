'use strict';
// The client-managed session client moves the core's bytes: one Bearer call to the proxy's
// /qps/csrftoken opens the session, every later call carries the cookie (and an xrfkey on QRS
// paths), never the token. Judged by what a scripted proxy receives.

const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { inspect } = require('node:util');

const qlik = require('qlik-jwt');

/** A loopback proxy under /jwt that answers by path and token, and records each request. */
async function scriptedProxy(t) {
  const seen = [];
  const server = http.createServer((request, response) => {
    seen.push({ line: `${request.method} ${request.url}`, headers: request.headers });
    const path = request.url.split('?')[0];
    const bearer = (request.headers.authorization || '').replace(/^Bearer /, '') || null;
    if (path === '/jwt/qps/csrftoken' && bearer === 'full') {
      response.writeHead(403).end(JSON.stringify({ errors: [{ code: 'LOCAL-MAX-PARALLEL-SESSIONS', title: 'Access denied' }] }));
    } else if (path === '/jwt/qps/csrftoken' && bearer === 'bad') {
      response.writeHead(401).end('');
    } else if (path === '/jwt/qps/csrftoken' && bearer) {
      response.setHeader('set-cookie', ['X-Qlik-Session-jwt-HTTP=sess-1; Path=/; HttpOnly']);
      response.setHeader('qlik-csrf-token', 'csrf+1');
      response.writeHead(200).end();
    } else if (path === '/jwt/qrs/about' && !bearer) {
      response.setHeader('content-type', 'application/json');
      response.writeHead(200).end('{"buildVersion":"x"}');
    } else {
      response.writeHead(403).end('Forbidden');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  return { url: `http://127.0.0.1:${server.address().port}/jwt`, seen };
}

test('one Bearer call opens the session; calls carry the cookie and a fresh xrfkey', async (t) => {
  const { url, seen } = await scriptedProxy(t);
  const session = await qlik.loginClientManaged(`${url}/`, 'signed.jwt.token');
  assert.ok(session instanceof qlik.ClientManagedSession);
  assert.equal(session.baseUrl, url);
  assert.equal(session.origin, new URL(url).origin);
  assert.deepEqual(session.cookie, { name: 'X-Qlik-Session-jwt-HTTP', value: 'sess-1' });
  assert.equal(session.cookieName, 'X-Qlik-Session-jwt-HTTP');
  assert.equal(session.cookieHeader, 'X-Qlik-Session-jwt-HTTP=sess-1');
  assert.equal(session.csrfToken, 'csrf+1');
  const host = new URL(url).host;
  assert.equal(session.websocketUrl('my app'), `ws://${host}/jwt/app/my%20app?qlik-csrf-token=csrf%2B1`);
  assert.deepEqual(session.websocketHeaders(), {
    Cookie: 'X-Qlik-Session-jwt-HTTP=sess-1',
    Origin: new URL(url).origin,
  });
  for (const shown of [inspect(session), JSON.stringify(session)]) {
    assert.ok(shown.includes('X-Qlik-Session-jwt-HTTP') && !shown.includes('sess-1'), shown);
  }

  for (let i = 0; i < 3; i += 1) assert.deepEqual(await session.get('/qrs/about'), { buildVersion: 'x' });
  const raw = await session.fetch('/qrs/about', { headers: { authorization: 'Bearer again' } });
  assert.equal(raw.status, 200);

  const logins = seen.filter((r) => r.headers.authorization);
  assert.equal(logins.length, 1, 'one Bearer call opens one proxy session');
  assert.match(logins[0].line, /^GET \/jwt\/qps\/csrftoken$/);
  const calls = seen.filter((r) => r.line.includes('/qrs/about'));
  assert.equal(calls.length, 4);
  const keys = new Set();
  for (const call of calls) {
    const key = call.headers['x-qlik-xrfkey'];
    assert.match(key, /^[0-9A-Za-z]{16}$/);
    assert.equal(call.line, `GET /jwt/qrs/about?xrfkey=${key}`);
    assert.equal(call.headers.cookie, 'X-Qlik-Session-jwt-HTTP=sess-1');
    keys.add(key);
  }
  assert.equal(keys.size, 4, 'a fresh xrfkey per call');
});

test('refusals are QlikApiErrors with the core hint; bad input is a TypeError', async (t) => {
  const { url, seen } = await scriptedProxy(t);
  await assert.rejects(qlik.loginClientManaged(url, 'full'), (error) => {
    assert.ok(error instanceof qlik.QlikApiError);
    assert.equal(error.status, 403);
    assert.equal(error.code, 'LOCAL-MAX-PARALLEL-SESSIONS');
    assert.match(error.hint, /^QSE_SESSION_LIMIT: .*5 parallel sessions/);
    return true;
  });
  assert.equal(seen.length, 1, 'a 403 is not retried');
  await assert.rejects(qlik.loginClientManaged(url, 'bad'), (error) => {
    assert.equal(error.status, 401);
    assert.match(error.hint, /^QSE_MALFORMED_TOKEN/);
    return true;
  });
  const session = await qlik.loginClientManaged(url, 't');
  await assert.rejects(session.get('/hub'), (error) => error.status === 403 && /QSE_HOST_NOT_ALLOWED/.test(error.hint));
  await assert.rejects(session.get('/qrs/app?xrfkey=abcdefghijklmnop'), { name: 'TypeError', code: 'ERR_INVALID_ARGUMENT' });
  await assert.rejects(qlik.loginClientManaged(url.replace('/jwt', ''), 't'), { name: 'TypeError', code: 'ERR_INVALID_URL' });
  await assert.rejects(qlik.loginClientManaged(url, ''), { code: 'ERR_INVALID_ARGUMENT' });
  await assert.rejects(qlik.loginClientManaged(url, 't', { timeoutMs: -1 }), { code: 'ERR_INVALID_ARGUMENT' });
  assert.equal(qlik.clientManagedProtocol.maxParallelSessions, 5);
  assert.equal(qlik.clientManagedProtocol.csrfTokenPath, '/qps/csrftoken');
});

test('an unreachable proxy rejects with the transport error after the retries', async () => {
  const server = http.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  await assert.rejects(qlik.loginClientManaged(`http://127.0.0.1:${port}/jwt`, 't', { retries: 1, retryDelayMs: 0 }), (error) => {
    assert.ok(!(error instanceof qlik.QlikApiError));
    return true;
  });
});
