'use strict';
// Every Node benchmark case: qlik-jwt and the libraries users would pick instead, on the same
// tokens. A case is data plus `make()`, which returns the operation (sync or promise-returning)
// that the runner calls in a loop. Cases that cannot run here carry `skip` with the reason.

const crypto = require('node:crypto');
const path = require('node:path');
const { keyMaterial, TUTORIAL } = require('./keys');

const REPO = path.resolve(__dirname, '..', '..');
// bench/run.sh points this at a snapshot of the built package, so a rebuild of the addon in the
// work tree during a run cannot change (or crash) what is measured.
const QLIK_PACKAGE = process.env.BENCH_QLIK_NODE || REPO;

function tryRequire(name) {
  try {
    return { mod: require(name) };
  } catch (e) {
    return { error: String(e && e.message ? e.message : e).split('\n')[0] };
  }
}

function loadQlik() {
  const r = tryRequire(QLIK_PACKAGE);
  if (r.error) return { error: `not built (require of ${QLIK_PACKAGE} failed: ${r.error})` };
  if (typeof r.mod.sign !== 'function') return { error: 'not built (no sign export)' };
  return r;
}

const jti = () => crypto.randomBytes(32).toString('base64url');

/** The tutorial payload, with a fresh jti as uid.sync(32) makes it. */
const tutorialPayload = () => ({ jti: jti(), ...TUTORIAL.claims });

/** jsonwebtoken's options for this key's token (the tutorial's, or the HS256 session's). */
function signOptions(alg) {
  return { ...alg.options, algorithm: alg.jwa };
}

/** The same claims spelled out, for libraries that take them in the payload. */
function explicitClaims(alg, nowSecs) {
  const o = alg.options;
  return {
    ...tutorialPayload(),
    iat: nowSecs,
    ...(o.notBefore !== undefined ? { nbf: nowSecs } : {}),
    exp: nowSecs + alg.lifetimeSecs,
    iss: o.issuer,
    ...(o.audience ? { aud: o.audience } : {}),
  };
}

function joseSign(jose, key, alg) {
  const o = alg.options;
  let jwt = new jose.SignJWT(tutorialPayload())
    .setProtectedHeader({ alg: alg.jwa, ...(o.keyid ? { kid: o.keyid } : {}), typ: 'JWT' })
    .setIssuer(o.issuer)
    .setIssuedAt()
    .setExpirationTime(o.expiresIn);
  if (o.audience) jwt = jwt.setAudience(o.audience);
  if (o.notBefore !== undefined) jwt = jwt.setNotBefore(o.notBefore);
  return jwt.sign(key);
}

/**
 * All cases. `lib` groups peers in the table; `variant` says how the library is called;
 * `mode` is `sync` (2 threads = 2 worker_threads) or `async` (2 threads = libuv pool of 2).
 */
function buildCases(only) {
  const keys = keyMaterial();
  // Loads only the libraries asked for, so a memory run holds one library, not all of them.
  const load = (lib, fn) => (!only || only.includes(lib) ? fn() : { error: 'not loaded in this process' });
  const q = load('qlik-jwt', loadQlik);
  const jwt = load('jsonwebtoken', () => tryRequire('jsonwebtoken'));
  const fast = load('fast-jwt', () => tryRequire('fast-jwt'));
  const jose = load('jose', () => tryRequire('jose'));
  const noders = load('@node-rs/jsonwebtoken', () => tryRequire('@node-rs/jsonwebtoken'));
  const cases = [];
  const add = (c, dep) => {
    const skip = dep && dep.error ? dep.error : undefined;
    cases.push({ ...c, id: `node/${c.op}/${c.alg}/${c.lib}/${c.variant}`, skip });
  };

  for (const alg of keys.algs) {
    const op = 'sign';
    const a = alg.name;
    const opts = signOptions(alg);
    // qlik-jwt: the drop-in API, called exactly like jsonwebtoken.
    add({ op, alg: a, lib: 'qlik-jwt', variant: 'pem-per-call', mode: 'sync', ours: true,
      make: () => () => q.mod.sign(tutorialPayload(), alg.signPem, opts) }, q);
    add({ op, alg: a, lib: 'qlik-jwt', variant: 'keyobject', mode: 'sync', ours: true,
      make: () => { const k = alg.signKeyObject(); return () => q.mod.sign(tutorialPayload(), k, opts); } }, q);
    add({ op, alg: a, lib: 'qlik-jwt', variant: 'callback', mode: 'async', ours: true,
      make: () => () => new Promise((resolve, reject) =>
        q.mod.sign(tutorialPayload(), alg.signPem, opts, (err, tok) => (err ? reject(err) : resolve(tok)))) }, q);
    add({ op, alg: a, lib: 'qlik-jwt', variant: 'promise', mode: 'async', ours: true,
      make: () => () => q.mod.signAsync(tutorialPayload(), alg.signPem, opts) }, q);
    if (alg.family !== 'HS') {
      const signerOf = () => q.mod.createQlikSigner({
        privateKey: alg.signPem, keyId: TUTORIAL.options.keyid, issuer: TUTORIAL.options.issuer,
      });
      add({ op, alg: a, lib: 'qlik-jwt', variant: 'createQlikSigner', mode: 'sync', ours: true,
        make: () => { const s = signerOf(); return () => s.sign(TUTORIAL.user); } }, q);
      add({ op, alg: a, lib: 'qlik-jwt', variant: 'createQlikSigner-async', mode: 'async', ours: true,
        make: () => { const s = signerOf(); return () => s.signAsync(TUTORIAL.user); } }, q);
    }
    // Peers.
    add({ op, alg: a, lib: 'jsonwebtoken', variant: 'pem-per-call', mode: 'sync',
      make: () => () => jwt.mod.sign(tutorialPayload(), alg.signPem, opts) }, jwt);
    add({ op, alg: a, lib: 'jsonwebtoken', variant: 'keyobject', mode: 'sync',
      make: () => { const k = alg.signKeyObject(); return () => jwt.mod.sign(tutorialPayload(), k, opts); } }, jwt);
    add({ op, alg: a, lib: 'fast-jwt', variant: 'createSigner', mode: 'sync',
      make: () => {
        const o = alg.options;
        const s = fast.mod.createSigner({
          key: alg.signPem, algorithm: alg.jwa, iss: o.issuer, expiresIn: alg.lifetimeSecs * 1000,
          ...(o.keyid ? { kid: o.keyid } : {}),
          ...(o.audience ? { aud: o.audience } : {}),
          ...(o.notBefore !== undefined ? { notBefore: 0 } : {}),
        });
        return () => s(tutorialPayload());
      } }, fast);
    add({ op, alg: a, lib: 'jose', variant: 'imported-key', mode: 'async',
      make: async () => {
        const k = alg.family === 'HS'
          ? new TextEncoder().encode(alg.signPem)
          : await jose.mod.importPKCS8(alg.signPem, alg.jwa);
        return () => joseSign(jose.mod, k, alg);
      } }, jose);
    const nrsHeader = { algorithm: alg.jwa, ...(alg.options.keyid ? { keyId: alg.options.keyid } : {}) };
    const nowSecs = () => Math.floor(Date.now() / 1000);
    add({ op, alg: a, lib: '@node-rs/jsonwebtoken', variant: 'signSync-pem', mode: 'sync',
      make: () => () => noders.mod.signSync(explicitClaims(alg, nowSecs()), alg.signPem, nrsHeader) }, noders);
    add({ op, alg: a, lib: '@node-rs/jsonwebtoken', variant: 'sign-async-pem', mode: 'async',
      make: () => () => noders.mod.sign(explicitClaims(alg, nowSecs()), alg.signPem, nrsHeader) }, noders);
  }

  for (const alg of keys.algs.filter((x) => x.verify)) {
    const op = 'verify';
    const a = alg.name;
    const vopts = { algorithms: [alg.jwa] };
    // One token per case, made by the reference library, verified over and over.
    const token = () => require('jsonwebtoken').sign(tutorialPayload(), alg.signPem, signOptions(alg));
    add({ op, alg: a, lib: 'qlik-jwt', variant: 'pem-per-call', mode: 'sync', ours: true,
      make: () => { const t = token(); return () => q.mod.verify(t, alg.verifyPem, vopts); } }, q);
    add({ op, alg: a, lib: 'qlik-jwt', variant: 'keyobject', mode: 'sync', ours: true,
      make: () => { const t = token(); const k = alg.verifyKeyObject(); return () => q.mod.verify(t, k, vopts); } }, q);
    add({ op, alg: a, lib: 'qlik-jwt', variant: 'promise', mode: 'async', ours: true,
      make: () => { const t = token(); return () => q.mod.verifyAsync(t, alg.verifyPem, vopts); } }, q);
    add({ op, alg: a, lib: 'jsonwebtoken', variant: 'pem-per-call', mode: 'sync',
      make: () => { const t = token(); return () => jwt.mod.verify(t, alg.verifyPem, vopts); } }, jwt);
    add({ op, alg: a, lib: 'jsonwebtoken', variant: 'keyobject', mode: 'sync',
      make: () => { const t = token(); const k = alg.verifyKeyObject(); return () => jwt.mod.verify(t, k, vopts); } }, jwt);
    add({ op, alg: a, lib: 'fast-jwt', variant: 'createVerifier', mode: 'sync',
      make: () => {
        const t = token();
        const v = fast.mod.createVerifier({ key: alg.verifyPem, algorithms: [alg.jwa] });
        return () => v(t);
      } }, fast);
    add({ op, alg: a, lib: 'jose', variant: 'imported-key', mode: 'async',
      make: async () => {
        const t = token();
        const k = alg.family === 'HS'
          ? new TextEncoder().encode(alg.verifyPem)
          : await jose.mod.importSPKI(alg.verifyPem, alg.jwa);
        return () => jose.mod.jwtVerify(t, k, { algorithms: [alg.jwa] });
      } }, jose);
    add({ op, alg: a, lib: '@node-rs/jsonwebtoken', variant: 'verifySync-pem', mode: 'sync',
      make: () => {
        const t = token();
        const v = {
          algorithms: [alg.jwa], validateNbf: true,
          ...(alg.options.audience ? { aud: [alg.options.audience] } : {}),
        };
        return () => noders.mod.verifySync(t, alg.verifyPem, v);
      } }, noders);
  }
  return cases;
}

module.exports = { buildCases, loadQlik, tutorialPayload, signOptions, REPO, QLIK_PACKAGE };
