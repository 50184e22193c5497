// The Express app of Qlik's tutorial "Create Signed Tokens for JWT Authorization", serving the
// tutorial's token code at GET /token. The only change to the tutorial's code is the require
// of qlik-jwt in place of jsonwebtoken (and the two closing braces the published sample lost).
// certs/ holds the repository's test key pair, made the tutorial's way (tests/keys/README.md);
// never use it for anything real.
const express = require('express');

const fs = require('fs');
const uid = require('uid-safe');
const jwt = require('qlik-jwt');

const app = express();

app.get('/token', (req, res) => {
  const payload = {
    jti: uid.sync(32), // 32 bytes random string
    sub: '0hEhiPyhMBdtOCv2UZKoLo4G24p-7R6eeGdZUQHF0-c',
    subType: 'user',
    name: 'Hardcore Harry',
    email: '',
    email_verified: true,
    groups: ['Administrators', 'Sales', 'Marketing'],
  };

  const privateKey = fs.readFileSync('./certs/privatekey.pem');

  // kid and issuer have to match with the IDP config and the
  // audience has to be qlik.api/jwt-login-session
  const signingOptions = {
    keyid: 'my-custom-jwt',
    algorithm: 'RS256',
    issuer: 'https://my-custom-jwt',
    expiresIn: '5m',
    notBefore: '0s',
    audience: 'qlik.api/login/jwt-session',
  };

  const myToken = jwt.sign(payload, privateKey, signingOptions);

  res.json({ token: myToken });
});

module.exports = app;

if (require.main === module) {
  const server = app.listen(Number(process.env.PORT || 3000), process.env.HOST || '127.0.0.1', () => {
    const { address, port } = server.address();
    console.log(`listening on http://${address}:${port}`);
  });
}
