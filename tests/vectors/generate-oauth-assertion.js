#!/usr/bin/env node
// Writes oauth-assertion.json: OAuth client assertions (private key JWT) as jose, the library
// Qlik's tutorial uses, makes them from Qlik's documented header and claims at a fixed instant
// with a recorded jti. The oracle for qlik-jwt's ClientAssertionSigner in Rust
// (core/tests/oauth_assertion_vectors.rs), Node (oauth.test.js) and Python (test_oauth.py):
// RS256 and RS512 byte for byte (PKCS#1 v1.5 signatures are deterministic); ES384 by header,
// claims and a signature that verifies (ECDSA signatures are randomized).
// Run after `npm install` at the repository root (it needs jose):
//   node tests/vectors/generate-oauth-assertion.js
'use strict';
const fs = require('fs');
const path = require('path');
const { createPrivateKey } = require('crypto');

const root = path.join(__dirname, '..', '..');

const cases = [
  {
    name: 'RS256, the reference example payload, tenant given with a trailing slash',
    keyFile: 'tests/keys/rsa2048-private-pkcs8.pem', algorithm: 'RS256', requestedAlgorithm: null,
    keyId: 'my-key-2048', clientId: 'my-oauth-client-id',
    tenantUrl: 'https://my-tenant.qlikcloud.com/', audience: 'https://my-tenant.qlikcloud.com/oauth/token',
    lifetime: 300, now: 1712525123, jti: '550e8400-e29b-41d4-a716-446655440000',
  },
  {
    name: 'RS512, the 4096-bit key, default lifetime',
    keyFile: 'tests/keys/rsa4096-privatekey.pem', algorithm: 'RS512', requestedAlgorithm: 'RS512',
    keyId: 'kid-4096', clientId: '3f6e1b0c9a2d4e5f8a7b6c5d4e3f2a1b',
    tenantUrl: 'https://acme.eu.qlikcloud.com', audience: 'https://acme.eu.qlikcloud.com/oauth/token',
    lifetime: null, now: 1700000000, jti: '1b4e28ba-2fa1-41d2-883f-0016d3cca427',
  },
  {
    name: 'ES384, a loopback tenant',
    keyFile: 'tests/keys/ec384-private-pkcs8.pem', algorithm: 'ES384', requestedAlgorithm: null,
    keyId: 'ec-key', clientId: 'local-client',
    tenantUrl: 'http://127.0.0.1:8080', audience: 'http://127.0.0.1:8080/oauth/token',
    lifetime: 60, now: 1800000000, jti: '9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f',
  },
];

// The signer's default lifetime (DEFAULT_LIFETIME_SECS in core/src/qlik/oauth/mod.rs).
const DEFAULT_LIFETIME = 240;

async function main() {
  const { CompactSign, compactVerify, createLocalJWKSet, exportJWK } = await import('jose');
  const vectors = [];
  for (const c of cases) {
    const key = createPrivateKey(fs.readFileSync(path.join(root, c.keyFile)));
    const header = { alg: c.algorithm, kid: c.keyId };
    const iat = c.now;
    const payload = {
      iss: c.clientId, sub: c.clientId, aud: c.audience, jti: c.jti,
      iat, exp: iat + (c.lifetime ?? DEFAULT_LIFETIME),
    };
    const token = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader(header)
      .sign(key);
    const jwk = { ...(await exportJWK(key)), kid: c.keyId, alg: c.algorithm, use: 'sig' };
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) delete jwk[member];
    await compactVerify(token, createLocalJWKSet({ keys: [jwk] }));
    vectors.push({
      id: `oauth-assertion:${vectors.length}`,
      name: c.name,
      key_file: c.keyFile,
      algorithm: c.requestedAlgorithm,
      key_id: c.keyId,
      client_id: c.clientId,
      tenant_url: c.tenantUrl,
      lifetime: c.lifetime,
      now: c.now,
      jti: c.jti,
      header,
      payload,
      public_jwk: jwk,
      // Randomized signatures cannot be compared: only the deterministic ones are recorded.
      token: c.algorithm.startsWith('RS') ? token : null,
    });
  }
  const out = path.join(__dirname, 'oauth-assertion.json');
  fs.writeFileSync(out, JSON.stringify(vectors, null, 2) + '\n');
  console.log(`wrote ${vectors.length} vectors to ${path.relative(root, out)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
