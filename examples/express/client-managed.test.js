'use strict';
// Starts the client-managed Express example (as `node client-managed.js`) against the local
// client-managed virtual proxy, asks it for a user's session twice (one proxy session, reused),
// and opens the engine websocket with what it hands out, as a mashup's server side would.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const WebSocket = require('ws');
const { startLocalTenant } = require('qlik-jwt');

const HERE = __dirname;
const KEYS = path.join(HERE, '..', '..', 'tests', 'keys');

function start(env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['client-managed.js'], {
      cwd: HERE,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env },
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = output.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (match) resolve({ child, url: match[1] });
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('exit', (code) => reject(new Error(`client-managed.js exited with ${code}: ${output}`)));
  });
}

test('the example hands out one reused session that opens the engine websocket', async (t) => {
  const proxy = startLocalTenant({
    profile: 'client-managed',
    prefix: 'jwt',
    certificate: fs.readFileSync(path.join(KEYS, 'rsa2048-cert.pem'), 'utf8'),
    userIdAttribute: 'userId',
    userDirectoryAttribute: 'userDirectory',
    maxParallelSessions: 1,
  });
  t.after(() => proxy.close());
  const { child, url } = await start({
    QLIK_PROXY_URL: proxy.url,
    QLIK_PRIVATE_KEY: path.join(KEYS, 'rsa2048-private-pkcs8.pem'),
    QLIK_APP_ID: 'my-app',
  });
  t.after(() => child.kill());

  // With one parallel session allowed, a second login would be refused: the example reuses.
  const answers = [];
  for (let i = 0; i < 2; i += 1) {
    const response = await fetch(`${url}/qlik-session?user=jdoe`);
    assert.equal(response.status, 200, await response.clone().text());
    answers.push(await response.json());
  }
  assert.deepEqual(answers[0], answers[1]);
  const [handed] = answers;
  assert.equal(handed.cookie.name, proxy.cookieName);
  assert.match(handed.websocketUrl, /\/jwt\/app\/my-app\?qlik-csrf-token=/);
  assert.equal(handed.origin, proxy.origin);
  assert.equal((await fetch(`${url}/qlik-session`)).status, 400);

  const socket = new WebSocket(handed.websocketUrl, {
    headers: { Cookie: `${handed.cookie.name}=${handed.cookie.value}`, Origin: handed.origin },
  });
  t.after(() => socket.terminate());
  // Each listener is in place before its message can arrive: OnConnected comes after the open,
  // the answer after the send.
  const next = () =>
    new Promise((resolve, reject) => {
      socket.once('message', (data) => resolve(JSON.parse(data.toString())));
      socket.once('unexpected-response', (request, response) => reject(new Error(`refused: ${response.statusCode}`)));
    });
  assert.equal((await next()).method, 'OnConnected');
  socket.send(JSON.stringify({ jsonrpc: '2.0', id: 1, handle: -1, method: 'EngineVersion', params: {} }));
  const version = await next();
  assert.equal(version.id, 1);
  assert.equal(typeof version.result.qVersion.qComponentVersion, 'string');
});

test('a refused login is answered 502 with the hint', async (t) => {
  const proxy = startLocalTenant({
    profile: 'client-managed',
    prefix: 'jwt',
    certificate: fs.readFileSync(path.join(KEYS, 'rsa2048-cert.pem'), 'utf8'),
    // The example signs userId: a proxy that reads another attribute refuses its tokens.
    userIdAttribute: 'uid',
    userDirectoryAttribute: 'userDirectory',
  });
  t.after(() => proxy.close());
  const { child, url } = await start({
    QLIK_PROXY_URL: proxy.url,
    QLIK_PRIVATE_KEY: path.join(KEYS, 'rsa2048-private-pkcs8.pem'),
  });
  t.after(() => child.kill());
  const response = await fetch(`${url}/qlik-session?user=jdoe`);
  assert.equal(response.status, 502);
  const body = await response.json();
  assert.match(body.error, /401/);
  assert.ok(body.hint);
});
