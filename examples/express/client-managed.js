// An Express server that logs its users in to a client-managed Qlik Sense (Enterprise on
// Windows) JWT virtual proxy and hands a mashup what it needs to open the engine websocket: the
// session cookie, the qlik-csrf-token and the websocket URL.
//
// GET /qlik-session?user=<id> signs a token for the user with the virtual proxy's key, opens one
// proxy session with loginClientManaged (GET /<prefix>/qps/csrftoken with the token as Bearer)
// and keeps it: a user may hold 5 proxy sessions, so the session is reused for every later
// request, never re-opened. The answer:
//   { cookie: { name, value }, csrfToken, websocketUrl, origin }
// A page cannot set a cookie for the Qlik host itself: serve the mashup from a host that shares
// the proxy's parent domain (and set the cookie there with Domain=), or open the websocket from
// a server (Node's `ws` takes the Cookie header). The proxy must allow the mashup's Origin
// (the virtual proxy's host allow list), and the websocket takes no Authorization header.
//
// Settings come from the environment:
//   QLIK_PROXY_URL        the virtual proxy with its prefix, e.g. https://sense.example.com/jwt
//   QLIK_PRIVATE_KEY      the file of the RSA key whose certificate the virtual proxy holds
//   QLIK_USER_DIRECTORY   the user directory of the users (default: EXAMPLE)
//   QLIK_APP_ID           the app whose websocket URL to hand out (default: engineData, the
//                         engine's global context)
// This example trusts ?user= as it is: a real server takes the user from its own login.
const express = require('express');
const fs = require('node:fs');
const { createClientManagedSigner, loginClientManaged } = require('qlik-jwt');

const PROXY_URL = process.env.QLIK_PROXY_URL;
const APP_ID = process.env.QLIK_APP_ID || 'engineData';
const USER_DIRECTORY = process.env.QLIK_USER_DIRECTORY || 'EXAMPLE';

const signer = createClientManagedSigner({
  privateKey: fs.readFileSync(process.env.QLIK_PRIVATE_KEY),
  // The virtual proxy's JWT attribute names, exactly as configured (case included).
  userIdAttribute: 'userId',
  userDirectoryAttribute: 'userDirectory',
});

/** One proxy session per user, reused: a Promise, so parallel requests share one login. */
const sessions = new Map();

function sessionFor(userId) {
  let session = sessions.get(userId);
  if (!session) {
    session = loginClientManaged(PROXY_URL, signer.sign({ userId, userDirectory: USER_DIRECTORY }));
    // A failed login is not kept: the next request tries again.
    session.catch(() => sessions.delete(userId));
    sessions.set(userId, session);
  }
  return session;
}

const app = express();

app.get('/qlik-session', async (req, res) => {
  const userId = String(req.query.user || '');
  if (!userId) {
    res.status(400).json({ error: 'give the user as ?user=<id>' });
    return;
  }
  try {
    const session = await sessionFor(userId);
    res.set('Cache-Control', 'no-store');
    res.json({
      cookie: session.cookie,
      csrfToken: session.csrfToken,
      websocketUrl: session.websocketUrl(APP_ID),
      origin: session.origin,
    });
  } catch (error) {
    // The QlikApiError's hint says what the proxy's refusal most likely means.
    res.status(502).json({ error: error.message, hint: error.hint ?? null });
  }
});

module.exports = app;

if (require.main === module) {
  const server = app.listen(Number(process.env.PORT || 3000), process.env.HOST || '127.0.0.1', () => {
    const { address, port } = server.address();
    console.log(`listening on http://${address}:${port}`);
  });
}
