'use strict';
// The `qlik-jwt` command of the npm package, run as a subprocess as users run it: `npx
// qlik-jwt` and `node bindings-node/bin/qlik-jwt.js`, with the exit codes scripts rely on.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const { spawn, spawnSync } = require('node:child_process');

const qlik = require('qlik-jwt');
const oracle = require('jsonwebtoken');

const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bindings-node', 'bin', 'qlik-jwt.js');

function run(args, options = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60000, ...options });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function runJson(args) {
  const result = run([...args, '--json']);
  return { ...result, json: JSON.parse(result.stdout) };
}

test('npx qlik-jwt --help lists the subcommands and exits 0', () => {
  const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
  const result = spawnSync(npx, ['--no-install', 'qlik-jwt', '--help'], { cwd: ROOT, encoding: 'utf8', timeout: 60000 });
  assert.equal(result.status, 0, result.stderr);
  for (const command of ['keygen', 'sign', 'explain', 'idp-config', 'login', 'tenant']) {
    assert.match(result.stdout, new RegExp(`\\b${command}\\b`));
  }
});

test('sign --demo --json gives a token that explain accepts (exit 0) and Qlik checks pass', () => {
  const signed = runJson(['sign', '--demo']);
  assert.equal(signed.code, 0, signed.stderr);
  assert.equal(signed.json.ok, true);
  assert.equal(qlik.decode(signed.json.token).aud, 'qlik.api/login/jwt-session');
  const explained = run(['explain', '--demo', signed.json.token]);
  assert.equal(explained.code, 0, explained.stdout + explained.stderr);
  const viaStdin = run(['explain', '--demo'], { input: signed.json.token });
  assert.equal(viaStdin.code, 0, viaStdin.stderr);
});

test('explain exits 1 for a token Qlik refuses and names the problem', () => {
  const now = Math.floor(Date.now() / 1000);
  const token = oracle.sign(
    { sub: 'u', subType: 'user', name: 'U', email: '', email_verified: true, jti: 'a'.repeat(22), iat: now, exp: now + 60 },
    'not-a-qlik-key-but-the-claims-are-judged',
    { algorithm: 'HS256', keyid: 'qlik-jwt-demo', issuer: 'qlik-jwt-demo', audience: 'qlik.api/login/jwt-session' },
  );
  const result = runJson(['explain', '--demo', token]);
  assert.equal(result.code, 1);
  const codes = JSON.stringify(result.json);
  assert.match(codes, /QLIK_CLAIM_MISSING/);
  assert.match(codes, /QLIK_ALG_HMAC/);
});

test('usage errors exit 2 with the message on stderr (and JSON on stdout with --json)', () => {
  const plain = run(['sign', '--no-such-flag']);
  assert.equal(plain.code, 2);
  assert.match(plain.stderr, /no-such-flag/);
  assert.equal(plain.stdout, '');
  const json = runJson(['explain', '--no-such-flag']);
  assert.equal(json.code, 2);
  assert.equal(json.json.ok, false);
  assert.equal(json.json.error.code, 'ERR_USAGE');
});

test('keygen writes the two files (exit 0) and refuses to replace them (exit 3)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qlik-jwt-cli-'));
  const made = run(['keygen', '--type', 'p256', '--out', dir]);
  assert.equal(made.code, 0, made.stderr);
  const privateKey = fs.readFileSync(path.join(dir, 'privatekey.pem'), 'utf8');
  const certificate = fs.readFileSync(path.join(dir, 'publickey.cer'), 'utf8');
  assert.equal(qlik.keyMatches(privateKey, certificate), true);
  assert.equal(fs.statSync(path.join(dir, 'privatekey.pem')).mode & 0o777, 0o600);
  const again = run(['keygen', '--type', 'p256', '--out', dir]);
  assert.equal(again.code, 3);
  assert.match(again.stderr, /exists already/);
  assert.equal(fs.readFileSync(path.join(dir, 'privatekey.pem'), 'utf8'), privateKey);
});

test('tenant --demo runs until interrupted; login against it succeeds once (exit 0, then 1)', async (t) => {
  const child = spawn(process.execPath, [BIN, 'tenant', '--demo', '--json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  t.after(() => child.kill('SIGKILL'));
  const lines = readline.createInterface({ input: child.stdout });
  const [first] = await Promise.race([
    new Promise((resolve) => lines.once('line', (line) => resolve([line]))),
    new Promise((_, reject) => setTimeout(() => reject(new Error('the tenant printed nothing')), 20000)),
  ]);
  const { ok, url } = JSON.parse(first);
  assert.equal(ok, true);
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);

  const token = run(['sign', '--demo', '--token-only']).stdout.trim();
  const login = runJson(['login', '--url', url, token]);
  assert.equal(login.code, 0, login.stderr);
  assert.equal(login.json.get.body.subject, qlik.decode(token).sub);
  const replay = runJson(['login', '--url', url, token]);
  assert.equal(replay.code, 1);
  assert.equal(replay.json.error.code, 'ERR_QLIK_REFUSED');
  assert.equal(replay.json.error.qlikCode, 'LOCAL-TOKEN-REPLAYED');
  assert.equal(replay.json.error.status, 401);

  // The same tenant serves this process's fetch client too.
  const session = await qlik.login(url, run(['sign', '--demo', '--token-only']).stdout.trim());
  assert.equal((await session.get('/api/v1/users/me')).subject, qlik.decode(token).sub);

  child.kill('SIGINT');
  const { code, signal } = await exited;
  assert.ok(signal === 'SIGINT' || code === 130, `ended with code ${code}, signal ${signal}`);
});

test('login to a tenant that is not there exits 4', () => {
  const token = run(['sign', '--demo', '--token-only']).stdout.trim();
  const result = run(['login', '--url', 'http://127.0.0.1:9', token]);
  assert.equal(result.code, 4, result.stderr);
});
