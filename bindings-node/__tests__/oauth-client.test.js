'use strict';
// OAuth access tokens on fetch: the whole exchange against the local tenant started from code
// (machine to machine and impersonation, ending with /api/v1/users/me), the cache per grant and
// user, one request for many concurrent callers (counted at a server), a fresh assertion for
// every retry, and refusals that keep Qlik's error body.

const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { inspect } = require('node:util');
const { once } = require('node:events');

const qlik = require('qlik-jwt');
const { keyText } = require('./helpers');

const PRIVATE_KEY = keyText('rsa2048-private-pkcs8.pem');
const CLIENT_ID = 'oauth-node-client';
const KEY_ID = 'oauth-node-key';
const JWK = { ...JSON.parse(keyText('rsa2048-public.jwk.json')), kid: KEY_ID, alg: 'RS256', use: 'sig' };

function startTenant(extra = {}) {
  return qlik.startLocalTenant({ oauthClients: [{ clientId: CLIENT_ID, jwk: JWK }], ...extra });
}

function clientOf(url, extra = {}) {
  return qlik.createOAuthClient({ tenantUrl: url, clientId: CLIENT_ID, privateKey: PRIVATE_KEY, keyId: KEY_ID, ...extra });
}

async function usersMe(tenant, token) {
  const response = await fetch(`${tenant.url}/api/v1/users/me`, { headers: { Authorization: token.authorization } });
  return [response.status, await response.json()];
}

test('a machine-to-machine token acts as the OAuth client', async (t) => {
  const tenant = startTenant();
  t.after(() => tenant.close());
  const token = await clientOf(tenant.url).getAccessToken();
  assert.ok(token instanceof qlik.AccessToken);
  assert.equal(token.tokenType, 'bearer');
  assert.equal(token.expiresIn, 3600);
  assert.equal(token.scope, 'user_default');
  assert.ok(Math.abs(token.expiresAt - (Date.now() / 1000 + 3600)) < 120);
  const [status, me] = await usersMe(tenant, token);
  assert.equal(status, 200, JSON.stringify(me));
  assert.equal(me.subject, CLIENT_ID);
});

test('an impersonation token acts as the user, by either call form', async (t) => {
  const tenant = startTenant({ knownUsers: ['auth0|alice', 'auth0|bob'] });
  t.after(() => tenant.close());
  const client = clientOf(tenant.url, { scope: 'user_default' });
  const alice = await client.getAccessToken({ impersonate: 'auth0|alice' });
  assert.equal((await usersMe(tenant, alice))[1].subject, 'auth0|alice');
  const bob = await client.impersonate('auth0|bob');
  assert.equal((await usersMe(tenant, bob))[1].subject, 'auth0|bob');
  const refused = await client.impersonate('mallory').catch((error) => error);
  assert.ok(refused instanceof qlik.QlikApiError, String(refused));
  assert.equal(refused.status, 400);
  assert.equal(refused.code, 'LOCAL-OAUTH-USER');
  assert.match(refused.detail, /mallory/);
  assert.match(refused.traceId, /^[0-9a-f]{32}$/);
});

test('tokens are cached per grant and user until the margin before expiry', async (t) => {
  const tenant = startTenant();
  t.after(() => tenant.close());
  const client = clientOf(tenant.url);
  const m2m = await client.getAccessToken();
  assert.equal((await client.getAccessToken()).accessToken, m2m.accessToken);
  const alice = await client.impersonate('alice');
  assert.notEqual(alice.accessToken, m2m.accessToken);
  assert.equal((await client.impersonate('alice')).accessToken, alice.accessToken);
  assert.notEqual((await client.impersonate('bob')).accessToken, alice.accessToken);
  client.clearCache();
  assert.notEqual((await client.getAccessToken()).accessToken, m2m.accessToken);
  assert.equal(qlik.oauthProtocol.refreshMarginSec, 60);

  // A token shorter than twice the margin is reused for half its life: with 0 s, never.
  const brief = startTenant({ accessTokenLifetimeSec: 0 });
  t.after(() => brief.close());
  const briefClient = clientOf(brief.url);
  const first = await briefClient.getAccessToken();
  assert.notEqual((await briefClient.getAccessToken()).accessToken, first.accessToken);
  const [status, body] = await usersMe(brief, first);
  assert.equal(status, 401);
  assert.equal(body.errors[0].code, 'LOCAL-OAUTH-ACCESS-TOKEN');
});

/** A token server that counts requests and answers only when released. */
async function heldServer(answers) {
  const seen = [];
  const held = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      seen.push(JSON.parse(body));
      const [status, json] = answers[Math.min(seen.length - 1, answers.length - 1)];
      const answer = () => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(json));
      };
      if (held !== null && status === 200) held.push(answer);
      else answer();
      server.emit('seen');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    seen,
    release() {
      for (const answer of held.splice(0)) answer();
    },
    close: () => server.close(),
    server,
  };
}

test('concurrent callers of one token share one request', async (t) => {
  const fake = await heldServer([[200, { access_token: 'shared', token_type: 'bearer', expires_in: 600 }]]);
  t.after(() => fake.close());
  const client = clientOf(fake.url);
  const callers = Array.from({ length: 10 }, () => client.impersonate('alice'));
  const other = client.impersonate('bob');
  while (fake.seen.length < 2) await once(fake.server, 'seen');
  fake.release();
  const tokens = await Promise.all([...callers, other]);
  assert.equal(fake.seen.length, 2, 'one request for alice, one for bob');
  assert.deepEqual(
    fake.seen.map((body) => body.user_lookup.value).sort(),
    ['alice', 'bob'],
  );
  assert.ok(tokens.every((token) => token.accessToken === 'shared'));
  // Cached now: no request at all.
  await client.impersonate('alice');
  assert.equal(fake.seen.length, 2);
});

test('a retry signs a fresh assertion (a new jti)', async (t) => {
  const fake = await heldServer([
    [503, { errors: [{ code: 'DOWN', title: 'down' }] }],
    [200, { access_token: 'late', token_type: 'bearer', expires_in: 600 }],
  ]);
  t.after(() => fake.close());
  const client = clientOf(fake.url, { retries: 1, retryDelayMs: 1 });
  const pending = client.getAccessToken();
  while (fake.seen.length < 2) await once(fake.server, 'seen');
  fake.release();
  assert.equal((await pending).accessToken, 'late');
  const jtis = fake.seen.map((body) => JSON.parse(Buffer.from(body.client_assertion.split('.')[1], 'base64url')).jti);
  assert.equal(new Set(jtis).size, 2, jtis.join(' '));
  assert.equal(fake.seen[0].client_assertion_type, 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
  assert.equal(fake.seen[0].grant_type, 'client_credentials');
});

test('refusals keep the body; bad settings fail at once; nothing secret is shown', async (t) => {
  const tenant = startTenant();
  t.after(() => tenant.close());
  const stranger = qlik.createOAuthClient({ tenantUrl: tenant.url, clientId: 'nobody', privateKey: PRIVATE_KEY, keyId: KEY_ID });
  const refused = await stranger.getAccessToken().catch((error) => error);
  assert.ok(refused instanceof qlik.QlikApiError);
  assert.equal(refused.status, 401);
  assert.equal(refused.code, 'LOCAL-OAUTH-CLIENT');
  assert.equal(refused.title, 'Unknown client');

  const wrongKid = clientOf(tenant.url, { keyId: 'other-kid' });
  const kid = await wrongKid.getAccessToken().catch((error) => error);
  assert.equal(kid.code, 'OAUTH_KID_MISMATCH');

  assert.throws(() => clientOf('https://acme.eu.qlikcloud.com/path'), (error) => error.code === 'ERR_OAUTH_TENANT_URL' || /path/.test(error.message));
  assert.throws(() => clientOf(tenant.url, { privateKey: keyText('rsa1024-private-pkcs8.pem') }), /2048/);
  await assert.rejects(clientOf(tenant.url).getAccessToken({ impersonate: 42 }), TypeError);

  const client = clientOf(tenant.url);
  const token = await client.getAccessToken();
  const shown = inspect(client) + inspect(token) + inspect(client, { showHidden: true, depth: 5 });
  assert.ok(!shown.includes(token.accessToken), shown);
  assert.ok(!shown.includes('PRIVATE KEY'), shown);
  assert.match(inspect(token), /<redacted>/);
});
