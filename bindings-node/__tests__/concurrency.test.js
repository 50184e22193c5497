'use strict';
// Concurrency: 8 worker threads sign and verify at once with the
// same keys (PEM text, a KeyObject cloned into each worker, the addon's process-wide key cache)
// and a Qlik signer each, on the JavaScript thread and on the libuv pool. Every token verifies,
// and the deterministic ones (HS256, RS256 at a fixed clock) equal those the main thread made
// alone first.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { Worker } = require('node:worker_threads');
const crypto = require('node:crypto');
const path = require('node:path');

const { qlik, keyText, at } = require('./helpers');

const WORKERS = 8;
// Each worker runs until both RUN_MS have passed and it has made MIN_ROUNDS rounds: the work
// overlaps for the whole run on a fast machine and is not cut short on a slow one.
const RUN_MS = 2000;
const MIN_ROUNDS = 10;
const NOW_MS = 1_700_000_000_000;
const SECRET = 'concurrency-secret-1a2b3c';
const RSA_PRIVATE = keyText('rsa2048-private-pkcs8.pem');
const RSA_PUBLIC = keyText('rsa2048-public-spki.pem');
const EC_PRIVATE = keyText('ec256-private-pkcs8.pem');
const EC_PUBLIC = keyText('ec256-public-spki.pem');
const PAYLOADS = Array.from({ length: 32 }, (_, i) => ({ sub: `user-${i}`, n: i, groups: ['a', `g${i}`] }));

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const jwt = require(workerData.packagePath);
const { payloads, expected, secret, rsaPrivate, rsaPublic, ecPrivate, ecPublic, nowMs, runMs, minRounds, keyObject } = workerData;
Date.now = () => nowMs;
const signer = jwt.createQlikSigner({ privateKey: ecPrivate, keyId: 'kid', issuer: 'iss', algorithm: 'ES256' });
const user = { sub: 's', name: 'n', email: 'e@x', emailVerified: true };
(async () => {
  const deadline = process.hrtime.bigint() + BigInt(runMs) * 1000000n;
  let count = 0;
  const failures = [];
  for (let i = 0; process.hrtime.bigint() < deadline || count < minRounds; i += 1) {
    const k = i % payloads.length;
    const hs = jwt.sign(payloads[k], secret, { noTimestamp: true });
    if (hs !== expected.hs[k]) failures.push('HS256 token ' + k);
    if (jwt.verify(hs, secret).n !== k) failures.push('HS256 verify ' + k);
    const rs = i % 4 === 0 ? await jwt.signAsync(payloads[k], rsaPrivate, { algorithm: 'RS256', noTimestamp: true })
                           : jwt.sign(payloads[k], keyObject, { algorithm: 'RS256', noTimestamp: true });
    if (rs !== expected.rs[k]) failures.push('RS256 token ' + k);
    const checked = i % 2 ? await jwt.verifyAsync(rs, rsaPublic) : jwt.verify(rs, rsaPublic);
    if (checked.sub !== payloads[k].sub) failures.push('RS256 verify ' + k);
    const es = jwt.sign(payloads[k], ecPrivate, { algorithm: 'ES256', noTimestamp: true });
    if (jwt.verify(es, ecPublic).n !== k) failures.push('ES256 verify ' + k);
    const q = i % 3 ? signer.sign(user) : await signer.signAsync(user);
    if (jwt.explainQlikToken(q, { issuer: 'iss', keyId: 'kid', certificate: ecPublic }).length !== 0) failures.push('Qlik token ' + k);
    count += 1;
  }
  parentPort.postMessage({ count, failures: failures.slice(0, 5), failureCount: failures.length });
})().catch((error) => parentPort.postMessage({ count: 0, failures: [String(error && error.stack)], failureCount: 1 }));
`;

test(`${WORKERS} worker threads sign and verify for ${RUN_MS} ms and agree with one thread`, async () => {
  const expected = at(NOW_MS, () => ({
    hs: PAYLOADS.map((p) => qlik.sign(p, SECRET, { noTimestamp: true })),
    rs: PAYLOADS.map((p) => qlik.sign(p, RSA_PRIVATE, { algorithm: 'RS256', noTimestamp: true })),
  }));
  const workerData = {
    packagePath: path.join(__dirname, '..', '..'),
    payloads: PAYLOADS,
    expected,
    secret: SECRET,
    rsaPrivate: RSA_PRIVATE,
    rsaPublic: RSA_PUBLIC,
    ecPrivate: EC_PRIVATE,
    ecPublic: EC_PUBLIC,
    nowMs: NOW_MS,
    runMs: RUN_MS,
    minRounds: MIN_ROUNDS,
    keyObject: crypto.createPrivateKey(RSA_PRIVATE),
  };
  const results = await Promise.all(
    Array.from({ length: WORKERS }, () => new Promise((resolve, reject) => {
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData });
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => code !== 0 && reject(new Error(`worker exited with ${code}`)));
    })),
  );
  for (const result of results) {
    assert.deepEqual(result.failures, [], `${result.failureCount} failures`);
    assert.ok(result.count >= MIN_ROUNDS, `each worker completed its rounds (${result.count})`);
  }
  // The main thread still works, and still agrees with itself.
  at(NOW_MS, () => assert.equal(qlik.sign(PAYLOADS[0], SECRET, { noTimestamp: true }), expected.hs[0]));
});
