'use strict';

// Client-managed Qlik Sense setup: the QRS body of a JWT virtual proxy, and the key of a
// PKCS#12/PFX file from Qlik's certificate export. Arguments go to the core as they are;
// every rule and message is the core's.

const native = require('./native');
const { unwrap } = require('./setup');

/**
 * `virtualProxyConfig({ prefix, certificate, userIdAttribute, userDirectoryAttribute, audience?,
 * attributes?, description?, sessionCookieHeaderName?, loadBalancingNodeIds?,
 * websocketOriginAllowList?, sessionInactivityTimeoutMinutes? })`: the body of
 * `POST /qrs/virtualproxyconfig` for a JWT virtual proxy, as an object.
 */
function virtualProxyConfig(settings) {
  const { certificate, ...rest } = settings || {};
  const json = unwrap(
    native.virtualProxyConfig({
      ...rest,
      certificate: Buffer.isBuffer(certificate) ? certificate.toString('utf8') : certificate,
    }),
    virtualProxyConfig,
  );
  return JSON.parse(json);
}

/**
 * `importPfx(pfx, password = '')`: the private key (unencrypted PKCS#8 PEM, ready for
 * `createClientManagedSigner`) and the certificates of a PKCS#12/PFX file, as
 * `{ privateKey, certificate, chain }`.
 */
function importPfx(pfx, password = '') {
  if (!Buffer.isBuffer(pfx) && !(pfx instanceof Uint8Array)) {
    throw new TypeError('pfx must be a Buffer with the bytes of the .pfx file');
  }
  if (typeof password !== 'string') throw new TypeError('password must be a string');
  return unwrap(native.importPfx(Buffer.from(pfx), password), importPfx);
}

module.exports = { virtualProxyConfig, importPfx };
