// ES module entry of qlik-jwt: the same functions as the CommonJS entry, default and named.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const jwt = require('./index.js');

export default jwt;
export const {
  sign,
  verify,
  decode,
  signAsync,
  verifyAsync,
  createQlikSigner,
  explainQlikToken,
  QlikSigner,
  createClientManagedSigner,
  explainClientManagedToken,
  ClientManagedSigner,
  JsonWebTokenError,
  NotBeforeError,
  TokenExpiredError,
  generateKeys,
  generateKeysAsync,
  singleLinePem,
  identityProviderConfig,
  keyMatches,
  virtualProxyConfig,
  importPfx,
  startLocalTenant,
  login,
  loginWith,
  QlikSession,
  QlikApiError,
  protocol,
  loginClientManaged,
  ClientManagedSession,
  clientManagedProtocol,
  createClientAssertionSigner,
  explainClientAssertion,
  ClientAssertionSigner,
  generateOauthKeys,
  generateOauthKeysAsync,
  createOAuthClient,
  QlikOAuthClient,
  AccessToken,
  oauthProtocol,
} = jwt;
