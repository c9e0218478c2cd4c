import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { api, freePort, perTestServers } from './support/hush-server.js';

/** A loopback HTTP server serving `doc` as a discovery document; it notes every request it gets. */
async function listen(
  port?: number,
  doc?: object,
): Promise<{ port: number; server: Server; hits: string[] }> {
  port ??= await freePort();
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    if (doc && req.url === '/.well-known/openid-configuration') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(doc));
      return;
    }
    res.statusCode = 400;
    res.setHeader('content-type', 'application/json');
    res.end('{"error":"invalid_grant"}');
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { port, server, hits };
}

/** `name=value` of a Set-Cookie list. */
function cookieFrom(res: Response, name: string): string | undefined {
  for (const c of res.headers.getSetCookie()) if (c.startsWith(`${name}=`)) return c.split(';')[0];
  return undefined;
}

// The console's OIDC login fetches the provider's discovery document and POSTs to its token endpoint: anyone may
// start a login, so both requests are caller-triggered outbound traffic and must obey `outbound.allow`, exactly as
// the JWT role's own key fetches do (docs/ui.md says so).
describe('console OIDC login and the outbound allow-list', () => {
  const servers = perTestServers();
  const listening: Server[] = [];
  afterEach(() => {
    for (const s of listening.splice(0)) s.close();
  });

  async function serverAllowing(entries: string[]) {
    const dir = await servers.tempDir('console-oidc-outbound');
    const config = join(dir, 'hush.yaml');
    writeFileSync(config, `outbound:\n  allow: [${entries.map((e) => `'${e}'`).join(', ')}]\n`, {
      mode: 0o600,
    });
    const server = await servers.start({ dataDir: join(dir, 'data'), args: ['--config', config] });
    return { server, root: server.rootToken ?? '' };
  }

  async function writeRole(server: { url: string }, root: string, issuer: string) {
    const role = {
      oidcDiscoveryUrl: issuer,
      boundIssuer: issuer,
      boundAudiences: ['hush-console'],
      userClaim: 'sub',
      policies: ['default'],
    };
    const written = await api(server, root, 'POST', '/v1/auth/jwt/role/corp', role);
    expect(written.status).toBe(200);
  }

  it('never POSTs the code to a token endpoint off the allow-list', async () => {
    const internal = await listen();
    listening.push(internal.server);
    const idpPort = await freePort();
    const issuer = `http://127.0.0.1:${idpPort}`;
    const { server, root } = await serverAllowing([`127.0.0.1:${idpPort}`]);
    const idp = await listen(idpPort, {
      issuer,
      authorization_endpoint: `${issuer}/auth`,
      // A discovery document (compromised, or simply wrong) pointing the server at an internal service.
      token_endpoint: `http://127.0.0.1:${internal.port}/admin/drop-tables`,
      jwks_uri: `${issuer}/jwks`,
    });
    listening.push(idp.server);

    await writeRole(server, root, issuer);
    const start = await fetch(`${server.url}/v1/console/oidc/start?role=corp`, { redirect: 'manual' });
    const bound = cookieFrom(start, 'hush_oidc');
    const state =
      start.status === 302 ? new URL(start.headers.get('location') ?? '').searchParams.get('state') : null;
    if (bound && state) {
      const callback = await fetch(`${server.url}/v1/console/oidc/callback?code=stolen&state=${state}`, {
        headers: { cookie: bound },
        redirect: 'manual',
      });
      expect(callback.status).toBeGreaterThanOrEqual(400);
      expect(callback.status).toBeLessThan(500);
    } else {
      expect(start.status).toBeGreaterThanOrEqual(400);
    }
    expect(internal.hits).toEqual([]);
  });

  it('refuses a discovery URL whose name resolves to an address the list does not name (as JWT login does)', async () => {
    const idpPort = await freePort();
    // `localhost` is allowed by name, but it resolves to loopback, which only an IP entry may open.
    const { server, root } = await serverAllowing([`localhost:${idpPort}`]);
    const issuer = `http://localhost:${idpPort}`;
    const idp = await listen(idpPort, {
      issuer,
      authorization_endpoint: `${issuer}/auth`,
      token_endpoint: `${issuer}/token`,
      jwks_uri: `${issuer}/jwks`,
    });
    listening.push(idp.server);
    await writeRole(server, root, issuer);
    const start = await fetch(`${server.url}/v1/console/oidc/start?role=corp`, { redirect: 'manual' });
    expect(start.status).toBe(401);
    expect(idp.hits).toEqual([]);
  });
});
