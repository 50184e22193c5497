'use strict';

// The local Qlik tenant: the core's loopback server, running on its own threads.

const native = require('./native');
const { keyInput, unwrap } = require('./setup');

/** An OAuth client as the addon takes it: the JWK as JSON text (an object is serialized). */
function oauthClient(client) {
  const { clientId, jwk } = client || {};
  return { clientId: String(clientId ?? ''), jwk: typeof jwk === 'string' ? jwk : JSON.stringify(jwk ?? null) };
}

/**
 * `startLocalTenant({ certificate, issuer, keyId, clockToleranceSec, knownUsers,
 * webIntegrationId, host, clockOffsetSec, loginsPerMinute, secureCookies, port })`: a local
 * Qlik tenant on 127.0.0.1 configured like a JWT identity provider, as `{ url, close() }`.
 * `loginsPerMinute` is Qlik's 100 by default; `null` or `Infinity` lifts the limit. It answers
 * `POST /login/jwt-session`, `GET /api/v1/csrf-token` and `GET|PATCH /api/v1/users/me` as Qlik
 * does. With `oauthClients: [{ clientId, jwk }]` (the public JWK, an object or JSON text) it
 * also serves `POST /oauth/token`, and `GET /api/v1/users/me` takes the access tokens it issues
 * (`accessTokenLifetimeSec`, 3600 by default); the identity provider's `certificate`, `issuer`
 * and `keyId` may then be left out. Call `close()` when done (it is also closed when
 * garbage-collected). With `profile: 'client-managed'` it starts a local client-managed virtual
 * proxy instead (below).
 */
function startLocalTenant(options) {
  const { profile, ...rest } = options || {};
  if (profile !== undefined && profile !== 'cloud') return startClientManaged(profile, rest);
  const { certificate, loginsPerMinute, oauthClients, ...settings } = rest;
  const unlimited = loginsPerMinute === null || loginsPerMinute === Infinity;
  const tenant = unwrap(
    native.startLocalTenant(certificate === undefined ? undefined : keyInput(certificate, 'certificate'), {
      ...settings,
      oauthClients: oauthClients === undefined ? undefined : oauthClients.map(oauthClient),
      loginsPerMinute: unlimited ? undefined : loginsPerMinute,
      unlimitedLogins: unlimited,
    }),
    startLocalTenant,
  );
  const handle = {
    url: tenant.url,
    close() {
      tenant.close();
    },
  };
  if (typeof Symbol.dispose === 'symbol') handle[Symbol.dispose] = handle.close;
  return handle;
}

/**
 * `startLocalTenant({ profile: 'client-managed', prefix, certificate, userIdAttribute,
 * userDirectoryAttribute, audience, attributes, sessionCookieHeaderName, maxParallelSessions,
 * allowedOrigins, allowMissingOrigin, port })`: a local client-managed Qlik Sense JWT virtual
 * proxy, as `{ url, origin, cookieName, close() }` (`url` ends with the prefix). It answers
 * Bearer requests with the `<cookie>-HTTP` session cookie, `GET /<prefix>/qps/csrftoken`, and
 * the engine websocket at `/<prefix>/app/<appId>?qlik-csrf-token=…` as the proxy does.
 */
function startClientManaged(profile, options) {
  const { certificate, ...settings } = options;
  const tenant = unwrap(
    native.startLocalClientManagedTenant(keyInput(certificate, 'certificate'), { ...settings, profile }),
    startLocalTenant,
  );
  const handle = {
    url: tenant.url,
    origin: tenant.origin,
    cookieName: tenant.cookieName,
    close() {
      tenant.close();
    },
  };
  if (typeof Symbol.dispose === 'symbol') handle[Symbol.dispose] = handle.close;
  return handle;
}

module.exports = { startLocalTenant };
