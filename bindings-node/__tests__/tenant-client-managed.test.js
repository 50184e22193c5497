'use strict';
// The local client-managed virtual proxy from JavaScript: startLocalTenant({ profile:
// 'client-managed' }) judges Bearer tokens, hands out the -HTTP session cookie and the CSRF
// token, and opens the engine websocket only with the cookie and the token, never with a Bearer
// header or from a foreign Origin. Requests are plain fetch; websockets are the `ws` package.

const test = require('node:test');
const assert = require('node:assert/strict');
const { once } = require('node:events');

const WebSocket = require('ws');
const oracle = require('jsonwebtoken');
const qlik = require('qlik-jwt');
const { keyText } = require('./helpers');

const PRIVATE_KEY = keyText('rsa2048-private-pkcs8.pem');
const CERTIFICATE = keyText('rsa2048-cert.pem');
const PROXY = {
  userIdAttribute: 'userId',
  userDirectoryAttribute: 'userDirectory',
  audience: 'qlik-sense',
  attributes: [{ senseAttribute: 'group', jwtAttribute: 'groups', isMandatory: false }],
};
const APP = '/app/00000000-0000-0000-0000-000000000001';

function start(options = {}) {
  return qlik.startLocalTenant({ profile: 'client-managed', prefix: 'jwt', certificate: CERTIFICATE, ...PROXY, ...options });
}

const signer = qlik.createClientManagedSigner({ privateKey: PRIVATE_KEY, ...PROXY });
const tokenFor = (userId) => signer.sign({ userId, userDirectory: 'CORP', groups: ['Sales'] });

/** A Bearer GET of /qps/csrftoken: the session cookie (`name=value`) and the CSRF token. */
async function login(tenant, token) {
  const res = await fetch(`${tenant.url}/qps/csrftoken`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200, await res.text());
  const [setCookie] = res.headers.getSetCookie();
  const cookie = setCookie.split(';')[0];
  assert.ok(cookie.startsWith(`${tenant.cookieName}=`), setCookie);
  return { cookie, csrf: res.headers.get('qlik-csrf-token') };
}

/** Opens the engine websocket; resolves `{ socket, messages }` once open, or the refusal. */
function open(tenant, query, headers = {}) {
  const url = `${tenant.url.replace('http:', 'ws:')}${APP}${query}`;
  const socket = new WebSocket(url, { headers });
  const messages = [];
  const waiting = [];
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString());
    const next = waiting.shift();
    if (next) next(message);
    else messages.push(message);
  });
  const nextMessage = () =>
    messages.length ? Promise.resolve(messages.shift()) : new Promise((resolve) => waiting.push(resolve));
  return new Promise((resolve, reject) => {
    socket.on('open', () => resolve({ socket, nextMessage }));
    socket.on('unexpected-response', (req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => {
        socket.terminate();
        const refusal = JSON.parse(body);
        resolve({ refused: { status: res.statusCode, code: refusal.errors[0].code, title: refusal.errors[0].title } });
      });
    });
    socket.on('error', (error) => reject(error));
  });
}

test('the whole flow: sign, csrftoken, websocket refused without the token, accepted with it, EngineVersion', async (t) => {
  const tenant = start();
  t.after(() => tenant.close());
  assert.match(tenant.url, /^http:\/\/127\.0\.0\.1:\d+\/jwt$/);
  assert.equal(tenant.cookieName, 'X-Qlik-Session-jwt-HTTP');
  const { cookie, csrf } = await login(tenant, tokenFor('jdoe'));

  const { refused } = await open(tenant, '', { Cookie: cookie });
  assert.deepEqual(refused, {
    status: 403,
    code: 'LOCAL-WEBSOCKET-CSRF',
    title: 'Cross-Site Websocket Hijacking attack prevention check failed',
  });

  const { socket, nextMessage } = await open(tenant, `?qlik-csrf-token=${encodeURIComponent(csrf)}`, { Cookie: cookie });
  assert.deepEqual(await nextMessage(), {
    jsonrpc: '2.0',
    method: 'OnConnected',
    params: { qSessionState: 'SESSION_CREATED' },
  });
  socket.send(JSON.stringify({ jsonrpc: '2.0', id: 1, handle: -1, method: 'EngineVersion', params: {} }));
  const version = await nextMessage();
  assert.equal(version.id, 1);
  assert.equal(typeof version.result.qVersion.qComponentVersion, 'string');
  socket.send(JSON.stringify({ jsonrpc: '2.0', id: 2, handle: -1, method: 'OpenDoc', params: ['x'] }));
  const unknown = await nextMessage();
  assert.deepEqual([unknown.id, unknown.error.code], [2, -32601]);
  socket.close();
  await once(socket, 'close');
});

test('the upgrade is refused without the cookie, without the CSRF token, with Bearer, or from a foreign Origin', async (t) => {
  const tenant = start();
  t.after(() => tenant.close());
  const token = tokenFor('jdoe');
  const { cookie, csrf } = await login(tenant, token);
  const query = `?qlik-csrf-token=${encodeURIComponent(csrf)}`;
  const cases = [
    ['LOCAL-WEBSOCKET-SESSION', query, {}],
    ['LOCAL-WEBSOCKET-CSRF', '', { Cookie: cookie }],
    ['LOCAL-WEBSOCKET-CSRF', '?qlik-csrf-token=wrong', { Cookie: cookie }],
    ['LOCAL-WEBSOCKET-AUTHORIZATION', query, { Authorization: `Bearer ${token}` }],
    ['LOCAL-WEBSOCKET-ORIGIN', query, { Cookie: cookie, Origin: 'https://evil.example' }],
  ];
  for (const [code, q, headers] of cases) {
    const { refused } = await open(tenant, q, headers);
    assert.deepEqual([refused.status, refused.code], [403, code], `${code} ${q} ${Object.keys(headers)}`);
  }
  const { socket, nextMessage } = await open(tenant, query, { Cookie: cookie, Origin: tenant.origin });
  assert.equal((await nextMessage()).method, 'OnConnected');
  socket.close();
  await once(socket, 'close');
});

test('bad tokens are refused with 401 and the explain code', async (t) => {
  const tenant = start();
  t.after(() => tenant.close());
  const now = Math.floor(Date.now() / 1000);
  const claims = { userId: 'jdoe', userDirectory: 'CORP', aud: 'qlik-sense', nbf: now - 30, exp: now + 300 };
  const rs256 = (payload) => oracle.sign(payload, PRIVATE_KEY, { algorithm: 'RS256' });
  const cases = [
    [oracle.sign(claims, 'a shared secret', { algorithm: 'HS256' }), 'QSE_ALG_NOT_ALLOWED'],
    [rs256({ ...claims, userId: undefined, userid: 'jdoe' }), 'QSE_ATTRIBUTE_CASE'],
    [rs256({ ...claims, aud: 'another-proxy' }), 'QSE_AUDIENCE_MISMATCH'],
    [rs256({ ...claims, nbf: now - 4000, exp: now - 3600 }), 'QSE_EXPIRED'],
  ];
  for (const [token, code] of cases) {
    const res = await fetch(`${tenant.url}/qps/csrftoken`, { headers: { Authorization: `Bearer ${token}` } });
    const body = await res.json();
    assert.deepEqual([res.status, body.errors[0].code], [401, code], JSON.stringify(body));
    assert.equal(res.headers.get('set-cookie'), null);
  }
  const other = start({ certificate: keyText('rsa4096-public-spki.pem') });
  t.after(() => other.close());
  const res = await fetch(`${other.url}/qps/csrftoken`, { headers: { Authorization: `Bearer ${tokenFor('jdoe')}` } });
  assert.deepEqual([res.status, (await res.json()).errors[0].code], [401, 'QSE_SIGNATURE_INVALID']);
});

test('the sixth parallel session of a user is refused with 403', async (t) => {
  const tenant = start();
  t.after(() => tenant.close());
  for (let i = 0; i < 5; i += 1) await login(tenant, tokenFor('jdoe'));
  const res = await fetch(`${tenant.url}/qps/csrftoken`, { headers: { Authorization: `Bearer ${tokenFor('jdoe')}` } });
  const body = await res.json();
  assert.deepEqual([res.status, body.errors[0].code, body.errors[0].title], [403, 'LOCAL-MAX-PARALLEL-SESSIONS', 'Access denied']);
  await login(tenant, tokenFor('asmith'));
});

test('QRS calls need the xrfkey and the session shows its user', async (t) => {
  const tenant = start();
  t.after(() => tenant.close());
  const { cookie } = await login(tenant, tokenFor('jdoe'));
  const key = 'abcdefghijklmnop';
  const ok = await fetch(`${tenant.url}/qrs/about?xrfkey=${key}`, { headers: { Cookie: cookie, 'X-Qlik-Xrfkey': key } });
  assert.equal(ok.status, 200);
  const missing = await fetch(`${tenant.url}/qrs/about`, { headers: { Cookie: cookie, 'X-Qlik-Xrfkey': key } });
  assert.deepEqual([missing.status, (await missing.json()).errors[0].code], [403, 'LOCAL-XRFKEY']);
  const me = await (await fetch(`${tenant.url}/qps/user`, { headers: { Cookie: cookie } })).json();
  assert.deepEqual([me.userDirectory, me.userId, me.attributes], ['CORP', 'jdoe', [{ group: ['Sales'] }]]);
});

test('settings the proxy cannot run with are refused with the core message', () => {
  assert.throws(() => start({ prefix: 'a/b' }), (error) => error.code === 'ERR_INVALID_OPTION' && /^prefix is "a\/b"/.test(error.message));
  assert.throws(() => start({ profile: 'on-prem' }), (error) => /^profile is "on-prem"/.test(error.message));
  assert.throws(() => start({ userIdAttribute: 'sub' }), /user_id_attribute is "sub"/);
});
