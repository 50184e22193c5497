'use strict';
// Client-managed setup from JavaScript: the QRS virtual-proxy body (the core's rules and
// messages) and the key of a PKCS#12/PFX certificate export, legacy and AES-256, whose key
// signs tokens the export's certificate verifies (checked by jsonwebtoken, the oracle).

const test = require('node:test');
const assert = require('node:assert/strict');

const qlik = require('qlik-jwt');
const oracle = require('jsonwebtoken');
const { key, keyText } = require('./helpers');

const PASSWORD = 'qlik-jwt-test';
const CLIENT_CERT = keyText('qlik-export-client.pem');
const PROXY = {
  prefix: 'jwt',
  certificate: CLIENT_CERT,
  userIdAttribute: 'userId',
  userDirectoryAttribute: 'userDirectory',
};

test('virtualProxyConfig gives the QRS body of a JWT virtual proxy', () => {
  const body = qlik.virtualProxyConfig({
    ...PROXY,
    audience: 'qlik.example',
    attributes: [{ senseAttribute: 'group', jwtAttribute: 'groups' }],
    loadBalancingNodeIds: ['d4b844ba-66cc-4a38-aa6c-8d0516641bc2'],
    websocketOriginAllowList: ['mashup.example.com'],
  });
  assert.equal(body.prefix, 'jwt');
  assert.equal(body.authenticationMethod, 4);
  assert.equal(body.anonymousAccessMode, 0);
  assert.equal(body.sessionCookieHeaderName, 'X-Qlik-Session-jwt');
  assert.equal(body.description, 'JWT authentication (jwt)');
  assert.equal(body.jwtAttributeUserId, 'userId');
  assert.equal(body.jwtAttributeUserDirectory, 'userDirectory');
  assert.equal(body.jwtAudience, 'qlik.example');
  assert.deepEqual(body.jwtAttributeMap, [{ senseAttribute: 'group', jwtAttribute: 'groups', isMandatory: false }]);
  assert.deepEqual(body.loadBalancingServerNodes, [{ id: 'd4b844ba-66cc-4a38-aa6c-8d0516641bc2' }]);
  assert.deepEqual(body.websocketCrossOriginWhiteList, ['mashup.example.com']);
  assert.match(body.jwtPublicKeyCertificate, /^-----BEGIN CERTIFICATE-----\n/);
  const fromBuffer = qlik.virtualProxyConfig({ ...PROXY, certificate: key('qlik-export-client.pem') });
  assert.equal(fromBuffer.jwtPublicKeyCertificate, body.jwtPublicKeyCertificate);
});

test('virtualProxyConfig refuses what the QRS or the proxy would not take, naming the field', () => {
  const cases = [
    [{ prefix: 'JWT' }, 'ERR_INVALID_OPTION', /prefix "JWT".*lowercase/],
    [{ sessionCookieHeaderName: 'X Qlik' }, 'ERR_INVALID_OPTION', /session_cookie_header_name/],
    [{ loadBalancingNodeIds: ['node1'] }, 'ERR_INVALID_OPTION', /not a UUID/],
    [{ certificate: keyText('rsa2048-public-spki.pem') }, 'ERR_INVALID_KEY', /^certificate: .*bare public key/],
    [{ certificate: keyText('ec256-cert.pem') }, 'ERR_INVALID_KEY', /EC key/],
    [{ userIdAttribute: 'sub' }, 'ERR_QLIK_RULE', /registered JWT claim/],
  ];
  for (const [change, code, message] of cases) {
    assert.throws(
      () => qlik.virtualProxyConfig({ ...PROXY, ...change }),
      (error) => error.code === code && message.test(error.message),
      JSON.stringify(change),
    );
  }
});

test('importPfx reads legacy and AES-256 exports; their key signs for the certificate', () => {
  for (const file of ['qlik-export-client.pfx', 'qlik-export-client-aes256.pfx']) {
    const imported = qlik.importPfx(key(file), PASSWORD);
    assert.match(imported.privateKey, /^-----BEGIN PRIVATE KEY-----\n/, file);
    assert.equal(imported.chain.length, 1, file);
    const signer = qlik.createClientManagedSigner({
      privateKey: imported.privateKey,
      userIdAttribute: 'userId',
      userDirectoryAttribute: 'userDirectory',
    });
    const token = signer.sign({ userId: 'ann', userDirectory: 'CORP' });
    for (const certificate of [imported.certificate, CLIENT_CERT]) {
      const claims = oracle.verify(token, certificate, { algorithms: ['RS256'] });
      assert.equal(claims.userId, 'ann', file);
    }
  }
});

test('importPfx tells a wrong password from bytes that are not PKCS#12', () => {
  assert.throws(
    () => qlik.importPfx(key('qlik-export-client.pfx'), 'wrong'),
    (error) => error.code === 'ERR_INVALID_KEY' && /password is wrong/.test(error.message),
  );
  assert.throws(
    () => qlik.importPfx(key('qlik-export-not-a-pfx.pfx'), PASSWORD),
    (error) => error.code === 'ERR_INVALID_KEY' && /PEM text/.test(error.message),
  );
  assert.throws(() => qlik.importPfx('not bytes', PASSWORD), TypeError);
  assert.throws(() => qlik.importPfx(key('qlik-export-client.pfx'), 42), TypeError);
});
