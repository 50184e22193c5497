'use strict';
// The session client keeps cookies as a browser would: Path scopes them, a past Expires and
// Max-Age=0 delete them, and Secure ones go back over loopback http. Judged by what a scripted
// server receives, and against the local tenant with Secure cookies.

const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');

const qlik = require('qlik-jwt');
const { keyText } = require('./helpers');

const ANSWERS = {
  '/login/jwt-session': {
    status: 200,
    cookies: [
      'eas.sid=s1; Path=/; HttpOnly; Secure',
      'scoped=v2; Path=/api/v2',
      'stale=x; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT',
      'gone=y; Path=/; Max-Age=0',
    ],
  },
  '/api/v1/csrf-token': { status: 204, headers: { 'qlik-csrf-token': 'csrf-1' } },
  '/api/v1/logout': { status: 200, cookies: ['eas.sid=; Path=/; Max-Age=0'] },
};

/** A loopback server that answers by path and records each request's method, path and Cookie. */
async function scriptedTenant(t) {
  const seen = [];
  const server = http.createServer((request, response) => {
    seen.push({ line: `${request.method} ${request.url}`, cookie: request.headers.cookie ?? null });
    const answer = ANSWERS[request.url] || { status: 200 };
    for (const [name, value] of Object.entries(answer.headers || {})) response.setHeader(name, value);
    if (answer.cookies) response.setHeader('set-cookie', answer.cookies);
    response.setHeader('content-type', 'application/json');
    response.writeHead(answer.status);
    response.end(answer.status === 204 ? undefined : '{}');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  const cookieOf = (line) => {
    const found = seen.filter((s) => s.line === line).pop();
    assert.ok(found, `no ${line} among ${JSON.stringify(seen)}`);
    return found.cookie;
  };
  return { url: `http://127.0.0.1:${server.address().port}`, cookieOf };
}

test('Path, a past Expires and Max-Age=0 rule the cookies', async (t) => {
  const tenant = await scriptedTenant(t);
  const session = await qlik.login(tenant.url, 'a.b.c');
  // Expired at birth: never kept. The /api/v2 cookie is kept, and sent on its path only.
  assert.deepEqual(session.cookieNames, ['eas.sid', 'scoped']);
  assert.equal(tenant.cookieOf('GET /api/v1/csrf-token'), 'eas.sid=s1');
  await session.get('/api/v2/apps');
  assert.equal(tenant.cookieOf('GET /api/v2/apps'), 'scoped=v2; eas.sid=s1');
  // An answer's Max-Age=0 deletes the cookie: neither listed nor sent any more.
  await session.post('/api/v1/logout');
  assert.deepEqual(session.cookieNames, ['scoped']);
  await session.get('/api/v1/users/me');
  assert.equal(tenant.cookieOf('GET /api/v1/users/me'), null);
});

test('Secure cookies go back over loopback http', async (t) => {
  const ISSUER = 'https://issuer.cookie-test';
  const KEY_ID = 'cookie-test-kid';
  const tenant = qlik.startLocalTenant({
    certificate: keyText('rsa2048-cert.pem'),
    issuer: ISSUER,
    keyId: KEY_ID,
    secureCookies: true,
  });
  t.after(() => tenant.close());
  const signer = qlik.createQlikSigner({ privateKey: keyText('rsa2048-private-pkcs8.pem'), keyId: KEY_ID, issuer: ISSUER });
  const session = await qlik.login(tenant.url, signer.sign({ sub: 'user-1', name: 'One', email: 'one@example.com', emailVerified: true }));
  assert.equal((await session.get(qlik.protocol.usersMePath)).subject, 'user-1');
});
