import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, type GenerateKeyPairResult, generateKeyPair, SignJWT } from 'jose';

/** What the server does with a request: serve the JWKS (default) or misbehave. */
export type JwksMode =
  | 'jwks'
  | 'garbage'
  | 'not-jwks'
  | 'huge'
  | 'huge-declared'
  | 'hang'
  | '404'
  | 'redirect';

/** A signing key with its kid. */
export interface SigningKey {
  readonly kid: string;
  readonly pair: GenerateKeyPairResult;
}

/** A fresh RS256 key with `kid`. */
export async function signingKey(kid: string): Promise<SigningKey> {
  return { kid, pair: await generateKeyPair('RS256') };
}

/** Sign a JWT with `key` (RS256, its kid in the header). */
export function signWith(
  key: SigningKey,
  claims: Record<string, unknown> & { iss: string; aud: string; sub: string },
  nowSeconds: number,
) {
  const { iss, aud, sub, ...rest } = claims;
  return new SignJWT(rest)
    .setProtectedHeader({ alg: 'RS256', kid: key.kid })
    .setIssuer(iss)
    .setAudience(aud)
    .setSubject(sub)
    .setIssuedAt(nowSeconds)
    .setExpirationTime(nowSeconds + 300)
    .sign(key.pair.privateKey);
}

/**
 * A real HTTP server on 127.0.0.1 (port 0) publishing a JWKS at /jwks and an OIDC discovery document at
 * /.well-known/openid-configuration, counting requests per path; its keys and behaviour can change between requests.
 */
export async function startJwksServer() {
  const state = {
    keys: [] as SigningKey[],
    mode: 'jwks' as JwksMode,
    /** Issuer the discovery document names (default: the server's own origin). */
    issuer: undefined as string | undefined,
    /** jwks_uri the discovery document names (default: this server's /jwks). */
    jwksUri: undefined as string | undefined,
    hits: new Map<string, number>(),
  };
  const hanging = new Set<ServerResponse>();
  const jwks = async () => ({
    keys: await Promise.all(
      state.keys.map(async (k) => ({
        ...(await exportJWK(k.pair.publicKey)),
        kid: k.kid,
        alg: 'RS256',
        use: 'sig',
      })),
    ),
  });
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    state.hits.set(path, (state.hits.get(path) ?? 0) + 1);
    const json = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    switch (state.mode) {
      case 'hang':
        hanging.add(res); // never answered; released on close
        return;
      case 'garbage':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('<html>502 Bad Gateway</html>');
        return;
      case 'not-jwks':
        return json({ hello: 'world' });
      case '404':
        res.writeHead(404).end('not found');
        return;
      case 'redirect':
        res.writeHead(302, { location: 'https://elsewhere.example/jwks' }).end();
        return;
      case 'huge':
      case 'huge-declared': {
        // 2 MiB of JSON-ish bytes; chunked (no length) or with the length announced up front.
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const total = 32;
        res.writeHead(200, {
          'content-type': 'application/json',
          ...(state.mode === 'huge-declared' ? { 'content-length': String(chunk.length * total) } : {}),
        });
        for (let i = 0; i < total; i++) if (!res.write(chunk)) await new Promise((r) => res.once('drain', r));
        res.end();
        return;
      }
      default:
        break;
    }
    if (path === '/jwks') return json(await jwks());
    if (path === '/.well-known/openid-configuration') {
      return json({ issuer: state.issuer ?? origin, jwks_uri: state.jwksUri ?? `${origin}/jwks` });
    }
    res.writeHead(404).end();
  };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    jwksUrl: `${origin}/jwks`,
    state,
    /** Requests served for `path` so far. */
    hits: (path: string) => state.hits.get(path) ?? 0,
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The server type. */
export type JwksServer = Awaited<ReturnType<typeof startJwksServer>>;
