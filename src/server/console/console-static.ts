import { readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { notJsonResponse } from '../../api/contract.js';
import { hushError } from '../../core/errors/index.js';
import { routeAuth } from '../route-config.js';

/**
 * The console's Content-Security-Policy: everything from this origin only, no inline script or style (the build
 * emits one JS and one CSS file), no plugins, no framing, no <base> rewrite, forms post only here.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
};

interface Asset {
  readonly body: Buffer;
  readonly type: string;
}

/** dist/console beside dist/server (the same three levels up from src/server/console under vitest). */
export function defaultConsoleDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'dist', 'console');
}

/**
 * Read the built console once: index.html and the hashed files of assets/. Only these names are ever served, so a
 * path with `..`, an encoded slash or any other name cannot reach the file system (traversal is refused by
 * construction, not by filtering). Missing (not built): every /ui request says how to build it.
 */
function loadAssets(dir: string): { index?: Buffer; assets: Map<string, Asset> } {
  const assets = new Map<string, Asset>();
  let index: Buffer | undefined;
  try {
    index = readFileSync(join(dir, 'index.html'));
    for (const name of readdirSync(join(dir, 'assets'))) {
      const type = TYPES[extname(name)];
      if (type) assets.set(name, { body: readFileSync(join(dir, 'assets', name)), type });
    }
  } catch {
    // Not built: index stays undefined.
  }
  return index ? { index, assets } : { assets };
}

function securityHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', CONSOLE_CSP)
    .header('x-frame-options', 'DENY')
    .header('referrer-policy', 'no-referrer')
    .header('cross-origin-opener-policy', 'same-origin')
    .header('x-content-type-options', 'nosniff');
}

/**
 * `GET /ui` and `GET /ui/*`: the console. `/ui/assets/<hashed name>` is cached for good (its name changes with its
 * bytes); every other path is a deep link answered with index.html (never cached, so a new build is picked up), and
 * the console's router shows the page. Public: the shell holds no data; every call it makes is authenticated.
 */
export function consoleStaticRoutes(dir: string = defaultConsoleDir()): FastifyPluginAsync {
  const built = loadAssets(dir);
  return async (app) => {
    // Route-level onSend runs after the app's own (which marks every response no-store): assets may be cached.
    const cache = (immutable: boolean) => async (_req: unknown, reply: FastifyReply, payload: unknown) => {
      reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-store');
      return payload;
    };
    const index = (_request: unknown, reply: FastifyReply) => {
      if (!built.index) throw hushError('CONSOLE_NOT_BUILT');
      return reply.type('text/html; charset=utf-8').send(built.index);
    };
    const config = { auth: routeAuth.public };
    const schema = { hide: true, response: notJsonResponse };
    // Set before the handler, so an error page of /ui (an unknown asset, a console not built) carries them too.
    const onRequest = async (_req: unknown, reply: FastifyReply) => {
      securityHeaders(reply);
    };
    app.get('/ui', { schema, config, onRequest, onSend: cache(false) }, index);
    app.get<{ Params: { name: string } }>(
      '/ui/assets/:name',
      { schema, config, onRequest, onSend: cache(true) },
      (request, reply) => {
        const asset = built.assets.get(request.params.name);
        if (!asset) throw hushError('CONSOLE_ASSET_NOT_FOUND');
        return reply.type(asset.type).send(asset.body);
      },
    );
    app.get('/ui/*', { schema, config, onRequest, onSend: cache(false) }, index);
  };
}
