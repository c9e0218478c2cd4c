import { hushError } from '../../core/errors/index.js';

// A module of its own, importing nothing heavy: every store command asks it whether it runs remotely.

/**
 * HUSH_ADDR as the base URL requests go to (scheme, host, port and any path prefix of a proxy). HUSH_E_CONFIG when
 * it is not an http(s) URL or carries credentials; the value itself is never echoed (it might hold a password).
 */
export function parseHushAddr(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw hushError('HUSH_ADDR_NOT_URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw hushError('HUSH_ADDR_MUST_START_HTTPS', { protocol: url.protocol });
  }
  if (url.username !== '' || url.password !== '') {
    throw hushError('HUSH_ADDR_MUST_NOT_HOLD');
  }
  return url.origin + url.pathname.replace(/\/+$/, '');
}

/**
 * The server address when a command should talk to a server: HUSH_ADDR is set and no --data-dir was given (the
 * same rule as `runLocal`), else undefined.
 */
export function remoteAddress(
  flags: { readonly dataDir?: string },
  env: NodeJS.ProcessEnv,
): string | undefined {
  const raw = env['HUSH_ADDR'];
  if (!raw || flags.dataDir !== undefined) return undefined;
  return parseHushAddr(raw);
}
