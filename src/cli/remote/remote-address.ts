import { HushError } from '../../core/errors/hush-error.js';

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
    throw new HushError('HUSH_E_CONFIG', 'HUSH_ADDR is not a URL; use e.g. https://hush.example:8200');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HushError(
      'HUSH_E_CONFIG',
      `HUSH_ADDR must start with https:// or http://, got ${url.protocol}`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new HushError(
      'HUSH_E_CONFIG',
      'HUSH_ADDR must not hold a user or password; give the server address only and the token in HUSH_TOKEN',
    );
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
