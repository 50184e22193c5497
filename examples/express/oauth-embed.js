'use strict';
// An Express app that embeds Qlik Cloud with qlik-embed and OAuth impersonation: the app logs its
// own users in (here a toy form over an in-memory directory; in real life your SSO), and
// POST /access-token gives the logged-in user's browser an access token acting as that user in
// the tenant. qlik-embed calls it through the function named by `data-get-access-token`
// (`data-auth-type="Oauth2"`) and takes the token as text, as in qlik.dev's "Retrieve and use
// OAuth impersonation tokens". One OAuth client, made at start-up, signs its client assertions
// with a private key JWT and caches each user's token until shortly before it expires; the
// private key never leaves the server.
//
// Run it (the OAuth client needs impersonation enabled and the public JWK of the key registered):
//   QLIK_TENANT_URL=https://acme.eu.qlikcloud.com QLIK_OAUTH_CLIENT_ID=<client id> \
//   QLIK_OAUTH_PRIVATE_KEY_FILE=keys/privatekey.pem QLIK_OAUTH_KEY_ID=my-key-1 \
//   QLIK_APP_ID=<app id> node examples/express/oauth-embed.js

const fs = require('node:fs');
const crypto = require('node:crypto');

const express = require('express');
const session = require('express-session');
const { createOAuthClient } = require('qlik-jwt');

/** The app's users as its directory (or SSO) knows them; `subject` is their Qlik user's subject. */
const DEMO_USERS = {
  harry: { subject: 'SomeSampleSeedValue', name: 'Hardcore Harry' },
  ada: { subject: 'ada-1815', name: 'Ada Lovelace' },
};

// Qlik's guiding principles for impersonation: name the scopes of the tokens given to browsers.
const IMPERSONATION_SCOPE = 'user_default';

// The qlik-embed web components script, as qlik.dev's qlik-embed pages load it.
const QLIK_EMBED_SCRIPT = 'https://cdn.jsdelivr.net/npm/@qlik/embed-web-components@1/dist/index.min.js';

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page({ user, tenantUrl, clientId, appId }) {
  const status = user ? `Logged in as ${escapeHtml(user.name)}.` : 'Not logged in.';
  const embed = user
    ? `
<script crossorigin="anonymous" type="application/javascript" src="${QLIK_EMBED_SCRIPT}"
  data-host="${escapeHtml(tenantUrl)}" data-client-id="${escapeHtml(clientId)}"
  data-get-access-token="getAccessToken" data-auth-type="Oauth2"></script>
<script>
  // qlik-embed calls this whenever it needs a token and uses the text it resolves to.
  async function getAccessToken() {
    const response = await fetch('/access-token', { method: 'POST', credentials: 'same-origin' });
    if (!response.ok) throw new Error('no Qlik access token: ' + response.status);
    return response.text();
  }
</script>
${appId ? `<qlik-embed ui="classic/app" app-id="${escapeHtml(appId)}"></qlik-embed>` : '<p>Set QLIK_APP_ID to embed an app.</p>'}`
    : '';
  return `<!doctype html>
<title>Embedded analytics</title>
<h1>Embedded analytics</h1>
<p>${status}</p>
<form method="post" action="/login"><input name="username" placeholder="harry or ada"> <button>Log in</button></form>
<form method="post" action="/logout"><button>Log out</button></form>${embed}
`;
}

/**
 * The app: `oauthClient` is a `createOAuthClient(...)` whose OAuth client may impersonate users;
 * `users` maps the app's user names to their Qlik subject and name.
 */
function createApp({ oauthClient, users = DEMO_USERS, appId, sessionSecret }) {
  const app = express();
  app.use(express.urlencoded({ extended: false }));
  app.use(
    session({
      // The default in-memory store suits one process; a real app uses a shared store.
      secret: sessionSecret || crypto.randomBytes(32).toString('hex'),
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax' },
    }),
  );

  const userOf = (req) => (Object.hasOwn(users, req.session.username ?? '') ? users[req.session.username] : null);

  app.get('/', (req, res) => {
    res.type('html').send(page({ user: userOf(req), tenantUrl: oauthClient.tenantUrl, clientId: oauthClient.clientId, appId }));
  });

  app.post('/login', (req, res, next) => {
    const username = String(req.body.username ?? '');
    if (!Object.hasOwn(users, username)) {
      res.status(403).type('text').send('unknown user');
      return;
    }
    // A new session id at login, so that a session fixed before it is worth nothing.
    req.session.regenerate((error) => {
      if (error) return next(error);
      req.session.username = username;
      res.redirect(303, '/');
    });
  });

  app.post('/logout', (req, res, next) => {
    req.session.destroy((error) => (error ? next(error) : res.redirect(303, '/')));
  });

  // What qlik-embed's getAccessToken fetches: the logged-in user's access token, as text.
  app.post('/access-token', async (req, res) => {
    const user = userOf(req);
    if (!user) {
      res.status(401).json({ error: 'log in first' });
      return;
    }
    try {
      const token = await oauthClient.impersonate(user.subject);
      res.set('Cache-Control', 'no-store').type('text').send(token.accessToken);
    } catch (error) {
      // A QlikApiError when the tenant refused (e.g. the user does not exist there yet:
      // impersonation needs them there), else the tenant was not reached.
      res.status(502).json({ error: error.message, code: error.code ?? null });
    }
  });

  return app;
}

/** The OAuth client configured by the `QLIK_*` environment variables. */
function oauthClientFromEnvironment(env = process.env) {
  return createOAuthClient({
    tenantUrl: env.QLIK_TENANT_URL,
    clientId: env.QLIK_OAUTH_CLIENT_ID,
    privateKey: fs.readFileSync(env.QLIK_OAUTH_PRIVATE_KEY_FILE),
    keyId: env.QLIK_OAUTH_KEY_ID,
    scope: IMPERSONATION_SCOPE,
  });
}

module.exports = { createApp, oauthClientFromEnvironment, DEMO_USERS, IMPERSONATION_SCOPE };

if (require.main === module) {
  const app = createApp({
    oauthClient: oauthClientFromEnvironment(),
    appId: process.env.QLIK_APP_ID,
    sessionSecret: process.env.SESSION_SECRET,
  });
  const server = app.listen(Number(process.env.PORT || 3000), process.env.HOST || '127.0.0.1', () => {
    const { address, port } = server.address();
    console.log(`listening on http://${address}:${port}`);
  });
}
