'use strict';
// The whole client-managed flow on the JavaScript client against the local virtual proxy: sign
// → loginClientManaged (csrftoken) → the engine websocket refused without the CSRF token →
// accepted with the session's URL and headers → EngineVersion answered, over one session.

const test = require('node:test');
const assert = require('node:assert/strict');

const WebSocket = require('ws');
const qlik = require('qlik-jwt');
const { keyText } = require('./helpers');

const PROXY = { userIdAttribute: 'userId', userDirectoryAttribute: 'userDirectory' };

function startProxy(t) {
  const tenant = qlik.startLocalTenant({
    profile: 'client-managed',
    prefix: 'jwt',
    certificate: keyText('rsa2048-cert.pem'),
    ...PROXY,
  });
  t.after(() => tenant.close());
  return tenant;
}

const signer = qlik.createClientManagedSigner({ privateKey: keyText('rsa2048-private-pkcs8.pem'), ...PROXY });
const tokenFor = (userId) => signer.sign({ userId, userDirectory: 'CORP' });

/** Opens `url` with `headers`: resolves `{ socket, next }` once open, or `{ status }` refused. */
function open(url, headers) {
  const socket = new WebSocket(url, { headers });
  const queue = [];
  const waiting = [];
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString());
    const resolve = waiting.shift();
    if (resolve) resolve(message);
    else queue.push(message);
  });
  const next = () => (queue.length ? Promise.resolve(queue.shift()) : new Promise((resolve) => waiting.push(resolve)));
  return new Promise((resolve, reject) => {
    socket.on('open', () => resolve({ socket, next }));
    socket.on('unexpected-response', (request, response) => {
      response.resume();
      request.destroy();
      resolve({ status: response.statusCode });
    });
    socket.on('error', reject);
  });
}

test('sign, log in, websocket refused without the CSRF token, accepted with it, EngineVersion', async (t) => {
  const tenant = startProxy(t);
  const session = await qlik.loginClientManaged(tenant.url, tokenFor('jdoe'));
  assert.equal(session.cookie.name, tenant.cookieName);
  assert.equal(session.origin, tenant.origin);

  const url = session.websocketUrl('my-app');
  const refused = await open(url.split('?')[0], session.websocketHeaders());
  assert.equal(refused.status, 403, 'no CSRF token: refused');

  const { socket, next } = await open(url, session.websocketHeaders());
  t.after(() => socket.terminate());
  assert.equal((await next()).method, 'OnConnected');
  socket.send(JSON.stringify({ jsonrpc: '2.0', id: 1, handle: -1, method: 'EngineVersion', params: {} }));
  const version = await next();
  assert.equal(version.id, 1);
  assert.equal(typeof version.result.qVersion.qComponentVersion, 'string');

  // The same session serves QRS: the proxy checks the xrfkey the session adds.
  const about = await session.get('/qrs/about');
  assert.equal(typeof about.buildVersion, 'string');
});

test('the websocket needs the cookie and refuses a Bearer header', async (t) => {
  const tenant = startProxy(t);
  const session = await qlik.loginClientManaged(tenant.url, tokenFor('jdoe'));
  const url = session.websocketUrl('my-app');
  assert.equal((await open(url, { Origin: session.origin })).status, 403);
  const withBearer = { ...session.websocketHeaders(), Authorization: `Bearer ${tokenFor('jdoe')}` };
  assert.equal((await open(url, withBearer)).status, 403);
});

test('one session is reused; the sixth is refused with the limit explained', async (t) => {
  const tenant = startProxy(t);
  const session = await qlik.loginClientManaged(tenant.url, tokenFor('busy'));
  for (let i = 0; i < 6; i += 1) await session.get('/qrs/about');
  for (let i = 0; i < 4; i += 1) await qlik.loginClientManaged(tenant.url, tokenFor('busy'));
  await assert.rejects(qlik.loginClientManaged(tenant.url, tokenFor('busy')), (error) => {
    assert.ok(error instanceof qlik.QlikApiError);
    assert.equal(error.status, 403);
    assert.match(error.hint, /^QSE_SESSION_LIMIT/);
    return true;
  });
  await session.get('/qrs/about');
});
