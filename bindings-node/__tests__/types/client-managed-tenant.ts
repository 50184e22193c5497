// Types of the local client-managed proxy: startLocalTenant with profile 'client-managed'.
import { startLocalTenant, type LocalClientManagedTenant, type LocalTenant } from 'qlik-jwt';

const proxy: LocalClientManagedTenant = startLocalTenant({
  profile: 'client-managed',
  prefix: 'jwt',
  certificate: '',
  userIdAttribute: 'userId',
  userDirectoryAttribute: 'userDirectory',
  audience: 'qlik-sense',
  attributes: [{ senseAttribute: 'group', jwtAttribute: 'groups', isMandatory: false }],
  sessionCookieHeaderName: 'X-Qlik-Session-jwt',
  maxParallelSessions: 5,
  allowedOrigins: ['https://mashup.example'],
  allowMissingOrigin: false,
  port: 0,
});
const parts: string[] = [proxy.url, proxy.origin, proxy.cookieName];
proxy.close();

const cloud: LocalTenant = startLocalTenant({ profile: 'cloud', certificate: '', issuer: 'i', keyId: 'k' });
cloud.close();
void parts;

// @ts-expect-error a client-managed proxy needs its prefix and attribute names
startLocalTenant({ profile: 'client-managed', certificate: '' });
// @ts-expect-error an unknown profile
startLocalTenant({ profile: 'on-prem', certificate: '', issuer: 'i', keyId: 'k' });
