'use strict';
// Starts the tutorial's Express app on a loopback port (as `node app.js` in its directory),
// asks for a token, and checks it with the tutorial's certificate and Qlik's rules.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const jsonwebtoken = require('jsonwebtoken');
const { verify, explainQlikToken } = require('qlik-jwt');

const HERE = __dirname;
const CERTIFICATE = fs.readFileSync(path.join(HERE, '..', '..', 'tests', 'keys', 'rsa4096-publickey.cer'), 'utf8');
const PROVIDER = { issuer: 'https://my-custom-jwt', keyId: 'my-custom-jwt' };

function start() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['app.js'], { cwd: HERE, env: { ...process.env, PORT: '0', HOST: '127.0.0.1' } });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = output.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (match) resolve({ child, url: match[1] });
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('exit', (code) => reject(new Error(`app.js exited with ${code}: ${output}`)));
  });
}

test("the tutorial's Express endpoint serves tokens Qlik accepts", async (t) => {
  const { child, url } = await start();
  t.after(() => child.kill());
  const tokens = [];
  for (let i = 0; i < 2; i++) {
    const response = await fetch(`${url}/token`);
    assert.equal(response.status, 200);
    tokens.push((await response.json()).token);
  }
  const [token] = tokens;
  const options = { algorithms: ['RS256'], audience: 'qlik.api/login/jwt-session', issuer: PROVIDER.issuer };
  const claims = jsonwebtoken.verify(token, CERTIFICATE, options);
  assert.deepEqual(verify(token, CERTIFICATE, options), claims);
  assert.equal(claims.name, 'Hardcore Harry');
  assert.equal(jsonwebtoken.decode(token, { complete: true }).header.kid, PROVIDER.keyId);
  assert.notEqual(tokens[0], tokens[1], 'each request gets a new jti');

  const problems = explainQlikToken(token, { ...PROVIDER, certificate: CERTIFICATE });
  assert.deepEqual(problems.filter((problem) => problem.severity === 'error'), []);
});
