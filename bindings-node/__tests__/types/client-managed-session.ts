// Typed usage of the client-managed session API: tsc checks it in `npm test`.
import { clientManagedProtocol, ClientManagedSession, loginClientManaged, QlikApiError } from 'qlik-jwt';

async function main(): Promise<void> {
  const limit: number = clientManagedProtocol.maxParallelSessions;
  try {
    const session: ClientManagedSession = await loginClientManaged('https://sense.example.com/jwt', 'token', {
      timeoutMs: 5000,
      sessionCookieName: 'X-Qlik-Session-jwt',
      retries: 0,
    });
    const cookie: { name: string; value: string } = session.cookie;
    const header: string = session.cookieHeader;
    const csrf: string = session.csrfToken;
    const url: string = session.websocketUrl('engineData');
    const upgrade: { Cookie: string; Origin: string } = session.websocketHeaders();
    const about: unknown = await session.get('/qrs/about');
    const raw: Response = await session.fetch('/qrs/app', { method: 'GET' });
    console.log(limit, cookie.name, header, csrf, url, upgrade.Origin, about, raw.status, session.origin);
  } catch (error) {
    if (error instanceof QlikApiError) console.log(error.hint);
  }
}

void main;
