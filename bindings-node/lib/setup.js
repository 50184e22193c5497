'use strict';

// Qlik setup: key pair and certificate, the single-line PEM, the identity-provider body, and
// whether a key belongs to a certificate. Arguments go to the core as they are; every rule and
// message is the core's.

const { KeyObject } = require('node:crypto');

const native = require('./native');
const { toError } = require('./errors');

/** A key as the addon takes it: text or Buffer as given, a KeyObject as its DER export. */
function keyInput(key, role) {
  if (key instanceof KeyObject) {
    return key.type === 'private'
      ? key.export({ format: 'der', type: 'pkcs8' })
      : key.export({ format: 'der', type: 'spki' });
  }
  if (typeof key === 'string' || Buffer.isBuffer(key)) return key;
  throw new TypeError(`${role} must be PEM text, a Buffer or a KeyObject`);
}

function unwrap(result, boundary) {
  if (result instanceof native.Failure) throw toError(result, boundary);
  return result;
}

function generated(pair) {
  const out = {
    keyType: pair.keyType,
    algorithm: pair.algorithm,
    privateKey: pair.privateKey,
    certificate: pair.certificate,
  };
  if (pair.privateKeyPath !== undefined && pair.privateKeyPath !== null) {
    out.files = { privateKey: pair.privateKeyPath, certificate: pair.certificatePath };
  }
  return out;
}

/**
 * `generateKeys({ keyType, commonName, days, dir, overwrite })`: a key pair (RSA 4096 by
 * default; `rsa2048`, `rsa3072`, `p256`, `p384`) and a self-signed certificate, as
 * `{ keyType, algorithm, privateKey, certificate }`. With `dir`, also writes `privatekey.pem`
 * (PKCS#8, mode 0600) and `publickey.cer` there, as the tutorial's openssl commands do, and
 * adds `files`. Existing files are kept unless `overwrite`.
 */
function generateKeys(options) {
  return generated(unwrap(native.generateKeys(options), generateKeys));
}

/** `generateKeys` on the libuv pool (an RSA 4096 key takes a second or more). */
async function generateKeysAsync(options) {
  const result = await native.generateKeysAsync(options);
  if (result instanceof native.Failure) throw toError(result);
  return generated(result);
}

/**
 * The certificate or public key as the one line Qlik's identity-provider form wants
 * (`-----BEGIN CERTIFICATE-----MIIF...-----END CERTIFICATE-----`).
 */
function singleLinePem(pem) {
  const text =
    pem instanceof KeyObject && pem.type === 'public' ? pem.export({ type: 'spki', format: 'pem' }) : pem;
  return unwrap(native.singleLinePem(keyInput(text, 'pem')), singleLinePem);
}

/**
 * `identityProviderConfig({ issuer, keyId, certificate, description, clockToleranceSec })`: the
 * body of `POST /api/v1/identity-providers` for a JWT identity provider, as an object.
 */
function identityProviderConfig(settings) {
  const { issuer, keyId, certificate, description, clockToleranceSec } = settings || {};
  const json = unwrap(
    native.identityProviderConfig({
      issuer,
      keyId,
      certificate: Buffer.isBuffer(certificate) ? certificate.toString('utf8') : certificate,
      description,
      clockToleranceSec,
    }),
    identityProviderConfig,
  );
  return JSON.parse(json);
}

/**
 * Whether `privateKey` belongs to `certificate` (a certificate or public key, also the
 * console's single line). A token signed with a key that does not match is refused by Qlik
 * with 401 and no reason given.
 */
function keyMatches(privateKey, certificate) {
  return unwrap(
    native.keyMatches(keyInput(privateKey, 'privateKey'), keyInput(certificate, 'certificate')),
    keyMatches,
  );
}

module.exports = {
  generateKeys,
  generateKeysAsync,
  singleLinePem,
  identityProviderConfig,
  keyMatches,
  keyInput,
  unwrap,
};
