'use strict';
// The client-managed forms of the `qlik-jwt` command of the npm package, as a subprocess: a PFX
// key signs a token (checked by jsonwebtoken against the export's certificate), explain exits 1
// on a mis-cased attribute, and virtual-proxy-config prints the QRS body.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const oracle = require('jsonwebtoken');
const { KEYS_DIR, keyText } = require('./helpers');

const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bindings-node', 'bin', 'qlik-jwt.js');
const exported = (name) => path.join(KEYS_DIR, `qlik-export-${name}`);

function run(args) {
  const env = { ...process.env, QLIK_JWT_TEST_PFX: 'qlik-jwt-test' };
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60000, env });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('sign --profile client-managed with a PFX key; explain judges it by the proxy names', () => {
  const signed = run([
    'sign', '--profile', 'client-managed', '--key', exported('client.pfx'),
    '--passphrase-env', 'QLIK_JWT_TEST_PFX', '--user-id', 'ann', '--user-directory', 'CORP', '--token-only',
  ]);
  assert.equal(signed.code, 0, signed.stderr);
  const token = signed.stdout.trim();
  const claims = oracle.verify(token, keyText('qlik-export-client.pem'), { algorithms: ['RS256'] });
  assert.deepEqual([claims.userId, claims.userDirectory], ['ann', 'CORP']);
  const base = ['explain', '--json', '--profile', 'client-managed', '--cert', exported('client.pem')];
  const accepted = run([...base, '--user-id-attribute', 'userId', '--user-directory-attribute', 'userDirectory', token]);
  assert.equal(accepted.code, 0, accepted.stdout);
  const refused = run([...base, '--user-id-attribute', 'UserId', '--user-directory-attribute', 'userDirectory', token]);
  assert.equal(refused.code, 1, refused.stdout);
  assert.deepEqual(JSON.parse(refused.stdout).problems.map((p) => p.code), ['QSE_ATTRIBUTE_CASE']);
});

test('virtual-proxy-config prints the body of POST /qrs/virtualproxyconfig', () => {
  const result = run(['virtual-proxy-config', '--json', '--prefix', 'jwt', '--cert', exported('client.pem')]);
  assert.equal(result.code, 0, result.stderr);
  const { body } = JSON.parse(result.stdout);
  assert.equal(body.authenticationMethod, 4);
  assert.equal(body.sessionCookieHeaderName, 'X-Qlik-Session-jwt');
  assert.equal(body.jwtAttributeUserId, 'userId');
  const bad = run(['virtual-proxy-config', '--prefix', 'a/b', '--cert', exported('client.pem')]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /prefix "a\/b"/);
});
