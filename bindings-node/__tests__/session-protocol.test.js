'use strict';
// How the core's protocol decisions reach JavaScript: an unreachable tenant rejects with fetch's
// own error (after the retries loginWith is allowed), a silent one after the core's timeout,
// and settings the core refuses with a TypeError carrying the core's code.

const test = require('node:test');
const assert = require('node:assert/strict');
const net = require('node:net');

const qlik = require('qlik-jwt');

/** A loopback port nothing listens on. */
async function closedPort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('an unreachable tenant rejects with fetch\'s error, after every allowed attempt', async () => {
  const url = `http://127.0.0.1:${await closedPort()}`;
  await assert.rejects(qlik.login(url, 'a.b.c'), TypeError);
  let signed = 0;
  const signer = { sign: () => { signed += 1; return `token.${signed}.x`; } };
  await assert.rejects(qlik.loginWith(url, signer, {}, { retries: 2, retryDelayMs: 1 }), TypeError);
  assert.equal(signed, 3);
});

test('a tenant that never answers is given up after timeoutMs', async (t) => {
  const sockets = [];
  const server = net.createServer((socket) => sockets.push(socket));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    for (const socket of sockets) socket.destroy();
    return new Promise((resolve) => server.close(resolve));
  });
  const url = `http://127.0.0.1:${server.address().port}`;
  await assert.rejects(qlik.login(url, 'a.b.c', { timeoutMs: 50 }), { name: 'TimeoutError' });
});

test('settings the core refuses are TypeErrors with its code', async () => {
  await assert.rejects(qlik.login('https://acme.example', 'a.b.c', { timeoutMs: -1 }), {
    name: 'TypeError',
    code: 'ERR_INVALID_ARGUMENT',
  });
  await assert.rejects(qlik.login('ftp://acme.example', 'a.b.c'), { name: 'TypeError', code: 'ERR_INVALID_URL' });
  await assert.rejects(qlik.login('https://user:secret@acme.example', 'a.b.c'), (error) => {
    assert.equal(error.code, 'ERR_INVALID_URL');
    assert.ok(!error.message.includes('secret'), error.message);
    return true;
  });
  await assert.rejects(qlik.login('https://acme.example', 42), { name: 'TypeError', code: 'ERR_INVALID_ARGUMENT' });
});
