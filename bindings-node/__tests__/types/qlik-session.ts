// Typed usage of the Qlik setup, local tenant and session API: tsc checks it in `npm test`.
import * as fs from 'node:fs';
import {
  createQlikSigner,
  generateKeys,
  generateKeysAsync,
  identityProviderConfig,
  keyMatches,
  login,
  loginWith,
  protocol,
  QlikApiError,
  QlikSession,
  singleLinePem,
  startLocalTenant,
} from 'qlik-jwt';

async function main(): Promise<void> {
  const keys = generateKeys({ keyType: 'p256', dir: '/tmp/keys' });
  const written: string | undefined = keys.files?.privateKey;
  const later = await generateKeysAsync();
  const line: string = singleLinePem(keys.certificate);
  const body = identityProviderConfig({ issuer: 'i', keyId: 'k', certificate: line, clockToleranceSec: 5 });
  const kid: string = body.options.staticKeys[0].kid;
  const matches: boolean = keyMatches(later.privateKey, fs.readFileSync('/tmp/keys/publickey.cer'));

  const tenant = startLocalTenant({ certificate: keys.certificate, issuer: 'i', keyId: 'k', loginsPerMinute: null });
  const signer = createQlikSigner({ privateKey: keys.privateKey, keyId: 'k', issuer: 'i', algorithm: 'ES256' });
  const user = { sub: 's', name: 'n', email: '', emailVerified: true };
  try {
    const session: QlikSession = await login(tenant.url, signer.sign(user), { webIntegrationId: 'w' });
    const me = await session.get(protocol.usersMePath);
    await session.patch(protocol.usersMePath, [{ op: 'replace', path: '/name', value: String(me.name) }]);
    const response: Response = await session.fetch('/api/v1/users/me', { method: 'GET' });
    const ws: string = session.websocketUrl('app-id');
    const cookie: string = session.websocketHeaders().Cookie;
    const again = await loginWith(tenant.url, signer, user, { retries: 1, retryDelayMs: 10 });
    void [written, kid, matches, response, ws, cookie, again.csrfToken];
  } catch (error) {
    if (error instanceof QlikApiError) {
      const fields: [number, string, string, string | null, string | null, string | null] = [
        error.status, error.code, error.title, error.detail, error.traceId, error.hint,
      ];
      void fields;
    }
  } finally {
    tenant.close();
  }
}

void main;

// @ts-expect-error an unknown key type
generateKeys({ keyType: 'rsa1024' });
// @ts-expect-error the local tenant needs the provider's issuer and key id
startLocalTenant({ certificate: '' });
