'use strict';
// The shared cases of tests/vectors beyond sign/verify/decode, replayed through the package as
// Rust and Python replay them: jsonwebtoken's time spans (timespan.json, here as sign's
// expiresIn, with sign's own checks first) and the tokens jsonwebtoken makes from Qlik's
// tutorial (qlik-signer.json, here through createQlikSigner). Read by tests/vectors/codec.js.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const { ROOT, qlik, at } = require('./helpers');
const codec = require(path.join(ROOT, 'tests', 'vectors', 'codec.js'));

const SECRET = 'shared-cases-secret';
const timespans = codec.readFile('timespan.json');

test('timespan.json holds its cases', () => {
  assert.ok(timespans.strings.length > 150, `${timespans.strings.length} strings`);
  assert.ok(timespans.numbers.length >= 5);
});

for (const span of [...timespans.strings, ...timespans.numbers]) {
  test(`timespan: expiresIn ${JSON.stringify(span.input)}`, () => {
    const sign = () => qlik.sign({ iat: timespans.iat }, SECRET, { expiresIn: span.input });
    if ('error' in span.sign) {
      assert.throws(sign, { name: 'Error', message: span.sign.error });
    } else {
      assert.equal(qlik.decode(sign()).exp, span.sign.exp);
    }
  });
}

const signerCases = codec.readFile('qlik-signer.json');

/** A token's header and claims as text, with the claims' `jti` replaced. */
function withJti(token, jti) {
  const [header, payload] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  assert.equal(typeof claims.jti, 'string');
  return { header, jti: claims.jti, claims: JSON.stringify({ ...claims, jti }) };
}

for (const c of signerCases) {
  test(`qlik-signer: ${c.name}`, () => {
    const privateKey = fs.readFileSync(path.join(ROOT, c.keyFile), 'utf8');
    const settings = { privateKey, keyId: c.keyid, issuer: c.issuer, algorithm: c.algorithm };
    if (c.skew !== null) settings.notBeforeSkewSeconds = c.skew;
    if (c.lifetime !== null) settings.lifetimeSeconds = c.lifetime;
    const signer = qlik.createQlikSigner(settings);
    const user = { sub: c.user.sub, name: c.user.name, email: c.user.email, emailVerified: c.user.email_verified };
    if (c.user.groups !== undefined) user.groups = c.user.groups;
    // Within the recorded second, as jsonwebtoken's iat is whole seconds.
    const token = at(c.now * 1000 + 999, () => signer.sign(user));
    const mine = withJti(token, c.jti);
    const theirs = withJti(c.token, c.jti);
    // The jti is the signer's own, fresh and random: the same length as the tutorial's.
    assert.equal(mine.jti.length, theirs.jti.length);
    assert.notEqual(mine.jti, c.jti);
    assert.equal(mine.header, theirs.header);
    assert.equal(mine.claims, theirs.claims);
    const publicKey = crypto.createPublicKey(privateKey);
    assert.equal(qlik.verify(token, publicKey, { algorithms: [c.algorithm], clockTimestamp: c.now }).jti, mine.jti);
  });
}
