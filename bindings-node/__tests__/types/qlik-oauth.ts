// Typed usage of the OAuth client and the local tenant's OAuth clients: tsc checks it in `npm test`.
import { AccessToken, createOAuthClient, oauthProtocol, QlikApiError, QlikOAuthClient, startLocalTenant } from 'qlik-jwt';

async function main(jwk: Record<string, unknown>, privateKey: string): Promise<void> {
  const tenant = startLocalTenant({ oauthClients: [{ clientId: 'c', jwk }], accessTokenLifetimeSec: 600 });
  const client: QlikOAuthClient = createOAuthClient({
    tenantUrl: tenant.url,
    clientId: 'c',
    privateKey,
    keyId: 'k',
    algorithm: 'RS256',
    scope: 'user_default',
    retries: 1,
  });
  try {
    const m2m: AccessToken = await client.getAccessToken();
    const user = await client.getAccessToken({ impersonate: 'auth0|alice' });
    const same = await client.impersonate('auth0|alice');
    const header: string = user.authorization;
    const expires: number = m2m.expiresAt - m2m.expiresIn;
    const scope: string | null = same.scope;
    console.log(header, expires, scope, oauthProtocol.refreshMarginSec, client.clientId, client.tenantUrl);
    client.clearCache();
  } catch (error) {
    if (error instanceof QlikApiError) console.log(error.status, error.code, error.traceId);
  } finally {
    tenant.close();
  }
}

void main;

// @ts-expect-error an OAuth client needs its private key
createOAuthClient({ tenantUrl: 'https://acme.eu.qlikcloud.com', clientId: 'c', keyId: 'k' });
// @ts-expect-error Qlik takes RS256, RS512 or ES384 only
createOAuthClient({ tenantUrl: 'https://acme.eu.qlikcloud.com', clientId: 'c', keyId: 'k', privateKey: '', algorithm: 'PS256' });
// @ts-expect-error a local tenant needs an identity provider or OAuth clients
startLocalTenant({});
