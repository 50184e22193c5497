'use strict';
// The session client on fetch against the local tenant started from code: log in, REST calls
// with cookies and the CSRF header, the websocket URL, and every kind of bad token refused with
// Qlik's error fields and the core's hint. Bad tokens are made with jsonwebtoken (the oracle),
// so the client is not judged by tokens of its own making.

const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');

const qlik = require('qlik-jwt');
const oracle = require('jsonwebtoken');
const { keyText } = require('./helpers');

const PRIVATE_KEY = keyText('rsa2048-private-pkcs8.pem');
const CERTIFICATE = keyText('rsa2048-cert.pem');
const ISSUER = 'https://issuer.session-test';
const KEY_ID = 'session-test-kid';
const USER = { sub: 'user-1', name: 'User One', email: 'one@example.com', emailVerified: true, groups: ['Sales'] };

const signer = qlik.createQlikSigner({ privateKey: PRIVATE_KEY, keyId: KEY_ID, issuer: ISSUER });

function startTenant(extra = {}) {
  return qlik.startLocalTenant({ certificate: CERTIFICATE, issuer: ISSUER, keyId: KEY_ID, ...extra });
}

/** A token from jsonwebtoken with Qlik's claims, `changes` applied (undefined removes one). */
function oracleToken(changes = {}, { key = PRIVATE_KEY, keyid = KEY_ID } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: ISSUER,
    aud: 'qlik.api/login/jwt-session',
    sub: 'user-2',
    subType: 'user',
    name: 'User Two',
    email: 'two@example.com',
    email_verified: true,
    jti: crypto.randomUUID(),
    iat: now,
    nbf: now - 30,
    exp: now + 300,
    ...changes,
  };
  for (const [name, value] of Object.entries(claims)) if (value === undefined) delete claims[name];
  return oracle.sign(claims, key, { algorithm: 'RS256', keyid });
}

async function refusal(tenant, token) {
  try {
    await qlik.login(tenant.url, token);
  } catch (error) {
    return error;
  }
  assert.fail('the login was not refused');
}

test('login, GET /api/v1/users/me, PATCH with the CSRF header', async (t) => {
  const tenant = startTenant();
  t.after(() => tenant.close());
  const session = await qlik.login(tenant.url, signer.sign(USER));
  assert.equal(session.baseUrl, tenant.url);
  assert.deepEqual([...session.cookieNames].sort(), [...qlik.protocol.sessionCookies].sort());
  assert.match(session.csrfToken, /^\S{16,}$/);

  const me = await session.get(qlik.protocol.usersMePath);
  assert.equal(me.subject, USER.sub);
  assert.equal(me.name, USER.name);
  assert.equal(me.email, USER.email);
  assert.deepEqual(me.assignedGroups.map((g) => g.name), USER.groups);

  // The tenant refuses a PATCH without the CSRF header, so its success shows the header sent.
  const bare = await fetch(tenant.url + qlik.protocol.usersMePath, {
    method: 'PATCH',
    headers: { cookie: session.cookieHeader, 'content-type': 'application/json' },
    body: '[]',
  });
  assert.equal(bare.status, 403);
  assert.equal((await bare.json()).errors[0].code, 'LOCAL-CSRF-TOKEN');
  const patched = await session.patch(qlik.protocol.usersMePath, [
    { op: 'replace', path: '/name', value: 'Renamed' },
  ]);
  assert.equal(patched, null);
  assert.equal((await session.get(qlik.protocol.usersMePath)).name, 'Renamed');

  const raw = await session.fetch(qlik.protocol.usersMePath);
  assert.equal(raw.status, 200);
  assert.equal((await raw.json()).subject, USER.sub);
});

test('REST refusals after login are QlikApiErrors too', async (t) => {
  const tenant = startTenant();
  t.after(() => tenant.close());
  const session = await qlik.login(tenant.url, signer.sign(USER));
  await assert.rejects(session.get('/api/v1/no-such-thing'), (error) => {
    assert.ok(error instanceof qlik.QlikApiError);
    assert.equal(error.status, 404);
    assert.equal(error.code, 'LOCAL-NOT-FOUND');
    assert.equal(error.hint, null);
    assert.match(error.traceId, /^[0-9a-f]{32}$/);
    return true;
  });
  await assert.rejects(session.get('users/me'), { name: 'TypeError', message: /must start with \// });
});

test('websocket URL and headers for the engine', async (t) => {
  const tenant = startTenant();
  t.after(() => tenant.close());
  const session = await qlik.login(tenant.url, signer.sign(USER));
  const url = new URL(session.websocketUrl('app/1 2'));
  assert.equal(url.protocol, 'ws:');
  assert.equal(url.host, new URL(tenant.url).host);
  assert.equal(url.pathname, '/app/app%2F1%202');
  assert.equal(url.searchParams.get(qlik.protocol.csrfHeader), session.csrfToken);
  assert.deepEqual(session.websocketHeaders(), { Cookie: session.cookieHeader });
  for (const name of qlik.protocol.sessionCookies) assert.ok(session.cookieHeader.includes(`${name}=`));
});

test('the web integration id is sent when the tenant wants one', async (t) => {
  const tenant = startTenant({ webIntegrationId: 'web-int-1' });
  t.after(() => tenant.close());
  const refused = await refusal(tenant, signer.sign(USER));
  assert.equal(refused.status, 400);
  assert.equal(refused.code, 'LOCAL-WEB-INTEGRATION-ID');
  const session = await qlik.login(tenant.url, signer.sign(USER), { webIntegrationId: 'web-int-1' });
  assert.equal((await session.get(qlik.protocol.usersMePath)).subject, USER.sub);
  assert.match(session.websocketUrl('a'), /[?&]qlik-web-integration-id=web-int-1(&|$)/);
});

const BAD_TOKENS = [
  {
    kind: 'missing nbf',
    token: () => oracleToken({ nbf: undefined }),
    status: 400,
    code: 'INTERNAL-TOKEN-1',
    title: 'Missing required claim: nbf',
    hint: /QLIK_CLAIM_MISSING/,
  },
  {
    kind: 'wrong aud (the widely copied typo)',
    token: () => oracleToken({ aud: 'qlik.api/jwt-login-session' }),
    status: 401,
    code: 'LOCAL-TOKEN-INVALID',
    hint: /QLIK_AUD_TYPO/,
  },
  {
    kind: 'window over 3600 s',
    token: () => {
      const now = Math.floor(Date.now() / 1000);
      return oracleToken({ nbf: now - 30, exp: now + 7200 });
    },
    status: 401,
    code: 'LOCAL-TOKEN-INVALID',
    hint: /QLIK_WINDOW_TOO_LONG/,
  },
  {
    kind: 'expired',
    token: () => {
      const now = Math.floor(Date.now() / 1000);
      return oracleToken({ iat: now - 900, nbf: now - 900, exp: now - 600 });
    },
    status: 401,
    code: 'LOCAL-TOKEN-INVALID',
    hint: /QLIK_EXPIRED/,
  },
  {
    kind: 'bad signature (another key, same kid)',
    token: () => oracleToken({}, { key: qlik.generateKeys({ keyType: 'rsa2048' }).privateKey }),
    status: 401,
    code: 'LOCAL-TOKEN-SIGNATURE',
    hint: null,
  },
  {
    kind: 'unknown kid',
    token: () => oracleToken({}, { keyid: 'another-kid' }),
    status: 401,
    code: 'LOCAL-TOKEN-SIGNATURE',
    hint: null,
  },
];

for (const bad of BAD_TOKENS) {
  test(`a token with ${bad.kind} is refused with Qlik's fields`, async (t) => {
    const tenant = startTenant();
    t.after(() => tenant.close());
    const error = await refusal(tenant, bad.token());
    assert.ok(error instanceof qlik.QlikApiError, String(error));
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'QlikApiError');
    assert.equal(error.status, bad.status);
    assert.equal(error.code, bad.code);
    if (bad.title) assert.equal(error.title, bad.title);
    assert.equal(typeof error.detail, 'string');
    assert.match(error.traceId, /^[0-9a-f]{32}$/);
    if (bad.hint === null) {
      assert.equal(error.hint, null);
    } else {
      assert.match(error.hint, bad.hint);
      assert.ok(error.message.includes(error.hint));
    }
    assert.ok(error.message.includes(`HTTP ${bad.status} ${bad.code}`), error.message);
  });
}

test('a replayed jti is refused: the same token works once', async (t) => {
  const tenant = startTenant();
  t.after(() => tenant.close());
  const token = oracleToken();
  await qlik.login(tenant.url, token);
  const error = await refusal(tenant, token);
  assert.equal(error.status, 401);
  assert.equal(error.code, 'LOCAL-TOKEN-REPLAYED');
  assert.equal(error.hint, null);
});

test('loginWith signs a fresh token per attempt and retries only a rate limit', async (t) => {
  const tenant = startTenant({ loginsPerMinute: 1 });
  t.after(() => tenant.close());
  const signed = [];
  const recording = {
    sign(user) {
      const token = signer.sign(user);
      signed.push(oracle.decode(token).jti);
      return token;
    },
  };
  const session = await qlik.loginWith(tenant.url, recording, USER, { retryDelayMs: 1 });
  assert.equal((await session.get(qlik.protocol.usersMePath)).subject, USER.sub);
  assert.equal(signed.length, 1);

  await assert.rejects(qlik.loginWith(tenant.url, recording, USER, { retries: 2, retryDelayMs: 1 }), (error) => {
    assert.equal(error.status, 429);
    assert.equal(error.code, 'LOCAL-RATE-LIMITED');
    return true;
  });
  assert.equal(signed.length, 4);
  assert.equal(new Set(signed).size, 4, 'every attempt had its own jti');

  const refusedOnce = [];
  const badSigner = { sign: () => { refusedOnce.push(1); return oracleToken({ nbf: undefined }); } };
  const other = startTenant();
  t.after(() => other.close());
  await assert.rejects(qlik.loginWith(other.url, badSigner, USER, { retryDelayMs: 1 }), { status: 400 });
  assert.equal(refusedOnce.length, 1, 'a refused token is not retried');
});

test('login checks its arguments', async () => {
  // The core's words, the same in Python and in the Rust client.
  await assert.rejects(qlik.login('acme.eu.qlikcloud.com', 'x.y.z'), {
    name: 'TypeError',
    message: /"acme\.eu\.qlikcloud\.com" is not an https:\/\/ \(or http:\/\/\) URL/,
  });
  await assert.rejects(qlik.login('https://acme.eu.qlikcloud.com/some/path', 'x.y.z'), {
    name: 'TypeError',
    message: /should be the tenant's address alone/,
  });
  await assert.rejects(qlik.login('https://acme.eu.qlikcloud.com', ''), { name: 'TypeError', message: /a signed Qlik JWT/ });
});

test("the session client's defaults are the core's", () => {
  const { timeoutMs, retriedStatuses, loginRetries, retryDelayMs } = qlik.protocol;
  assert.deepEqual({ timeoutMs, retriedStatuses, loginRetries, retryDelayMs }, {
    timeoutMs: 30000, retriedStatuses: [429, 502, 503, 504], loginRetries: 2, retryDelayMs: 1000,
  });
});

test('the local tenant refuses a key that is not a certificate, and closes', async () => {
  assert.throws(
    () => qlik.startLocalTenant({ certificate: 'not a key', issuer: 'i', keyId: 'k' }),
    (error) => error.code === 'ERR_INVALID_KEY',
  );
  // The core's rule and words for a port, as in Python.
  for (const port of [-1, 65536]) {
    assert.throws(() => startTenant({ port }), {
      code: 'ERR_INVALID_OPTION',
      message: `port ${port} is not a port: use 1 to 65535, or 0 for any free one`,
    });
  }
  const tenant = startTenant({ certificate: qlik.singleLinePem(CERTIFICATE) });
  const url = tenant.url;
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
  tenant.close();
  tenant.close();
  await assert.rejects(fetch(url + qlik.protocol.usersMePath), TypeError);
});
