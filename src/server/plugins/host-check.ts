import type { FastifyInstance } from 'fastify';
import { isLoopbackHost } from '../../config/listen-address.js';
import { hushError } from '../../core/errors/index.js';

/** Host names a loopback listener answers for when `allowedHosts` is not configured. */
export const LOOPBACK_HOST_NAMES: readonly string[] = ['localhost', '127.0.0.1', '::1'];

/**
 * The host list in force: `allowedHosts` when configured (`*` = any), else the loopback names when listening on
 * loopback (a web page that rebinds its own DNS name to 127.0.0.1 sends its own name as Host, and is refused), else
 * any host (a server on a real interface is reached by names the config cannot guess; set `allowedHosts` there).
 */
export function effectiveAllowedHosts(config: {
  readonly allowedHosts?: readonly string[] | undefined;
  readonly listen?: { readonly host: string } | undefined;
}): readonly string[] | undefined {
  if (config.allowedHosts !== undefined) {
    return config.allowedHosts.includes('*') ? undefined : config.allowedHosts.map(normalise);
  }
  if (!config.listen || !isLoopbackHost(config.listen.host)) return undefined;
  // The listen address itself too: a server on 127.0.0.2 or [::ffff:127.0.0.1] must answer for its own address.
  return [...new Set([...LOOPBACK_HOST_NAMES, normalise(config.listen.host)])];
}

/**
 * `Example.COM:8200` -> `example.com`, `[::1]:8200` -> `::1`, `localhost.` -> `localhost`. A bare IPv6 literal
 * (more than one colon, as written in `allowedHosts`) is kept whole: its last group is not a port.
 */
function normalise(host: string): string {
  const h = host.trim().toLowerCase();
  const v6 = /^\[([^\]]*)\](?::\d*)?$/.exec(h);
  if (v6) return v6[1] ?? '';
  if (h.indexOf(':') !== h.lastIndexOf(':')) return h;
  return h.replace(/:\d*$/, '').replace(/\.$/, '');
}

/**
 * Refuse requests whose Host header is not in `allowed` (421 HUSH_E_HOST_NOT_ALLOWED), before anything else runs:
 * DNS rebinding lets a web page reach a loopback server under the page's own name, and this is what stops it.
 */
export function installHostCheck(app: FastifyInstance, allowed: readonly string[] | undefined): void {
  if (allowed === undefined) return;
  const names = new Set(allowed);
  app.addHook('onRequest', (request, _reply, done) => {
    const host = request.headers.host;
    if (typeof host === 'string' && names.has(normalise(host))) return done();
    done(hushError('SERVER_NOT_ANSWER_HOST_REQUEST'));
  });
}
