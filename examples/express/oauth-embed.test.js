'use strict';
// Starts the OAuth embedding app (as `node oauth-embed.js`, configured by its environment)
// against a local tenant that has the app's OAuth client registered with the public JWK of a
// key made by generateOauthKeys (the files `qlik-jwt keygen --for oauth` writes). A browser logs
// in, fetches its access token from POST /access-token as qlik-embed's getAccessToken does, and
// the tenant's /api/v1/users/me answers as that user.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const qlik = require('qlik-jwt');
const { DEMO_USERS } = require('./oauth-embed');

const HERE = __dirname;
const CLIENT_ID = 'embed-oauth-client';
const KEY_ID = 'embed-key-1';

/** An OAuth key pair written to a fresh directory: the private key file the app reads, and the public JWK. */
function makeKeys(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qlik-oauth-embed-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const keys = qlik.generateOauthKeys({ keyId: KEY_ID, keyType: 'ec', dir });
  return { privateKeyFile: keys.files.privateKey, jwk: keys.publicJwk };
}

function start(env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['oauth-embed.js'], {
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
    child.on('exit', (code) => reject(new Error(`oauth-embed.js exited with ${code}: ${output}`)));
  });
}

/** A browser of the app: keeps its session cookie. */
function browser(url) {
  let cookie = null;
  return async (pathname, init = {}) => {
    const headers = { ...(init.headers || {}), ...(cookie ? { cookie } : {}) };
    const response = await fetch(`${url}${pathname}`, { ...init, headers, redirect: 'manual' });
    const set = response.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0];
    return response;
  };
}

async function logIn(visit, username) {
  const response = await visit('/login', { method: 'POST', body: new URLSearchParams({ username }) });
  assert.equal(response.status, 303, await response.text());
}

async function usersMe(tenantUrl, accessToken) {
  const response = await fetch(`${tenantUrl}/api/v1/users/me`, { headers: { Authorization: `Bearer ${accessToken}` } });
  return [response.status, await response.json()];
}

test('the logged-in user gets an impersonation token for qlik-embed, cached per user', async (t) => {
  const keys = makeKeys(t);
  // Ada exists in the tenant; Harry logs in to the app but has no Qlik user yet.
  const tenant = qlik.startLocalTenant({ oauthClients: [{ clientId: CLIENT_ID, jwk: keys.jwk }], knownUsers: [DEMO_USERS.ada.subject] });
  t.after(() => tenant.close());
  const { child, url } = await start({
    QLIK_TENANT_URL: tenant.url,
    QLIK_OAUTH_CLIENT_ID: CLIENT_ID,
    QLIK_OAUTH_PRIVATE_KEY_FILE: keys.privateKeyFile,
    QLIK_OAUTH_KEY_ID: KEY_ID,
    QLIK_APP_ID: 'embedded-app-id',
  });
  t.after(() => child.kill());

  // Anonymous: no token.
  const anonymous = browser(url);
  const refused = await anonymous('/access-token', { method: 'POST' });
  assert.equal(refused.status, 401);
  assert.deepEqual(await refused.json(), { error: 'log in first' });
  assert.doesNotMatch(await (await anonymous('/')).text(), /data-get-access-token/);

  // Ada logs in; her page loads qlik-embed with OAuth2 and the getAccessToken function.
  const ada = browser(url);
  await logIn(ada, 'ada');
  const home = await (await ada('/')).text();
  assert.match(home, /Logged in as Ada Lovelace/);
  assert.match(home, /data-auth-type="Oauth2"/);
  assert.match(home, /data-get-access-token="getAccessToken"/);
  assert.match(home, new RegExp(`data-host="${tenant.url}" data-client-id="${CLIENT_ID}"`));
  assert.match(home, /app-id="embedded-app-id"/);

  const first = await ada('/access-token', { method: 'POST' });
  assert.equal(first.status, 200);
  assert.match(first.headers.get('content-type'), /^text\/plain/);
  assert.equal(first.headers.get('cache-control'), 'no-store');
  const token = await first.text();
  const [status, me] = await usersMe(tenant.url, token);
  assert.equal(status, 200, JSON.stringify(me));
  assert.equal(me.subject, DEMO_USERS.ada.subject);

  // The second request is answered from the OAuth client's cache: the same token, although the
  // tenant issues a new one for every exchange (as a second client of the same key shows).
  const second = await ada('/access-token', { method: 'POST' });
  assert.equal(await second.text(), token);
  const another = qlik.createOAuthClient({
    tenantUrl: tenant.url,
    clientId: CLIENT_ID,
    privateKey: fs.readFileSync(keys.privateKeyFile),
    keyId: KEY_ID,
    scope: 'user_default',
  });
  const fresh = await another.impersonate(DEMO_USERS.ada.subject);
  assert.notEqual(fresh.accessToken, token);

  // Harry is the app's user but not the tenant's: the tenant's refusal comes back typed.
  const harry = browser(url);
  await logIn(harry, 'harry');
  const noUser = await harry('/access-token', { method: 'POST' });
  assert.equal(noUser.status, 502);
  const body = await noUser.json();
  assert.equal(body.code, 'LOCAL-OAUTH-USER');
  assert.match(body.error, new RegExp(DEMO_USERS.harry.subject));

  // After logging out, Ada's browser gets nothing.
  assert.equal((await ada('/logout', { method: 'POST' })).status, 303);
  assert.equal((await ada('/access-token', { method: 'POST' })).status, 401);
});

test('unknown users cannot log in', async (t) => {
  const keys = makeKeys(t);
  const tenant = qlik.startLocalTenant({ oauthClients: [{ clientId: CLIENT_ID, jwk: keys.jwk }] });
  t.after(() => tenant.close());
  const { child, url } = await start({
    QLIK_TENANT_URL: tenant.url,
    QLIK_OAUTH_CLIENT_ID: CLIENT_ID,
    QLIK_OAUTH_PRIVATE_KEY_FILE: keys.privateKeyFile,
    QLIK_OAUTH_KEY_ID: KEY_ID,
  });
  t.after(() => child.kill());
  const mallory = browser(url);
  const response = await mallory('/login', { method: 'POST', body: new URLSearchParams({ username: 'mallory' }) });
  assert.equal(response.status, 403);
  assert.equal((await mallory('/access-token', { method: 'POST' })).status, 401);
});
