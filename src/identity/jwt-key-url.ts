import { isLoopbackHost } from '../config/listen-address.js';
import { hushError } from '../core/errors/index.js';

/** Longest key URL a role may name (real issuers' URLs are well under 200 characters). */
export const MAX_KEY_URL_LENGTH = 2048;

/**
 * Parse a URL a JWT role fetches keys from (`jwksUrl`, `oidcDiscoveryUrl`, or a discovery document's `jwks_uri`):
 * https anywhere, http only to loopback (tests, local dev), no user:password, bounded length. Throws
 * HUSH_E_INVALID_INPUT naming `field` and the origin (never the path or query).
 *
 * @example
 * parseKeyUrl('https://token.actions.githubusercontent.com', 'oidcDiscoveryUrl'); // URL
 */
export function parseKeyUrl(raw: string, field: string): URL {
  if (raw.length > MAX_KEY_URL_LENGTH) {
    throw hushError('JWT_KEY_URL_TOO_LONG', {
      field,
      length: raw.length,
      maxKeyUrlLength: MAX_KEY_URL_LENGTH,
    });
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw hushError('JWT_KEY_URL_NOT_ABSOLUTE', { field });
  }
  if (url.username || url.password) {
    // Keys are public: a URL needing credentials is a mistake, and credentials stored in a role would leak in reads.
    throw hushError('JWT_KEY_URL_HAS_CREDENTIALS', { field });
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url;
  // Keys fetched in clear could be swapped in transit, and whoever swaps them can mint any login.
  throw hushError('JWT_KEY_URL_NOT_HTTPS', { field, protocol: url.protocol, host: url.host });
}

/** `scheme://host[:port]` of a URL: what error messages name (a path or query may carry a signature or key). */
export function originOf(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

/**
 * The rules for a `jwks_uri` named by a discovery document fetched from `discoveryUrl`: those of {@link parseKeyUrl},
 * and https whenever the document itself came over https (plain http to loopback is for set-ups that are all
 * loopback; a remote document must not send Hush to local plain-http ports). Throws HUSH_E_INVALID_INPUT.
 */
export function parseDiscoveredKeyUrl(raw: string, discoveryUrl: URL): URL {
  const url = parseKeyUrl(raw, 'its jwks_uri');
  if (url.protocol === 'http:' && discoveryUrl.protocol !== 'http:') {
    throw hushError('JWKS_URI_MUST_USE_HTTPS', { origin: originOf(url) });
  }
  return url;
}
