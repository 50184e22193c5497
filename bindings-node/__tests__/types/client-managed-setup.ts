// Types of the client-managed setup: the QRS virtual-proxy body and PFX key import.
import * as fs from 'node:fs';
import * as jwt from 'qlik-jwt';

const body: jwt.VirtualProxyConfigBody = jwt.virtualProxyConfig({
  prefix: 'jwt',
  certificate: fs.readFileSync('/tmp/keys/client.pem'),
  userIdAttribute: 'userId',
  userDirectoryAttribute: 'userDirectory',
  audience: 'qlik.example',
  attributes: [{ senseAttribute: 'group', jwtAttribute: 'groups' }],
  loadBalancingNodeIds: ['d4b844ba-66cc-4a38-aa6c-8d0516641bc2'],
  websocketOriginAllowList: ['mashup.example.com'],
  sessionInactivityTimeoutMinutes: 30,
});
const method: 4 = body.authenticationMethod;
const header: string = body.sessionCookieHeaderName;
void [method, header];

const imported: jwt.ImportedPfx = jwt.importPfx(fs.readFileSync('/tmp/keys/client.pfx'), 'secret');
const certificate: string | null = imported.certificate;
void certificate;
const signer: jwt.ClientManagedSigner = jwt.createClientManagedSigner({
  privateKey: imported.privateKey,
  userIdAttribute: 'userId',
  userDirectoryAttribute: 'userDirectory',
});
void signer;

// @ts-expect-error the prefix is required
jwt.virtualProxyConfig({ certificate: '', userIdAttribute: 'u', userDirectoryAttribute: 'd' });
// @ts-expect-error the password is a string
jwt.importPfx(Buffer.from([]), 42);
