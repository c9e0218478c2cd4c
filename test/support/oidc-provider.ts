import type { Server } from 'node:http';
import Provider from 'oidc-provider';
import { freePort } from './hush-server.js';

/** A real OIDC provider (the `oidc-provider` package) on loopback, with its development login and consent pages. */
export interface TestOidcProvider {
  readonly issuer: string;
  readonly clientId: string;
  close(): Promise<void>;
}

/**
 * Start a provider whose one public client (no secret; PKCE required) may redirect to `redirectUri`. Any login name
 * is accepted on its dev login page and becomes the `sub` claim.
 */
export async function startOidcProvider(
  redirectUri: string,
  clientId = 'hush-console',
): Promise<TestOidcProvider> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        token_endpoint_auth_method: 'none',
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['console-test-cookie-key'] },
    findAccount: async (_ctx: unknown, sub: string) => ({ accountId: sub, claims: async () => ({ sub }) }),
  });
  const server: Server = await new Promise((resolve) => {
    const s = provider.listen(port, '127.0.0.1', () => resolve(s));
  });
  return {
    issuer,
    clientId,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
