import { isLoopbackHost } from '../config/listen-address.js';
import { HushError } from '../core/errors/hush-error.js';

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
    throw new HushError(
      'HUSH_E_INVALID_INPUT',
      `${field} is ${raw.length} characters; at most ${MAX_KEY_URL_LENGTH} are allowed`,
    );
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new HushError(
      'HUSH_E_INVALID_INPUT',
      `${field} is not an absolute URL; use e.g. https://issuer.example/.well-known/jwks.json`,
    );
  }
  if (url.username || url.password) {
    // Keys are public: a URL needing credentials is a mistake, and credentials stored in a role would leak in reads.
    throw new HushError(
      'HUSH_E_INVALID_INPUT',
      `${field} must not carry credentials (user:password@); signing keys are public, give the plain URL`,
    );
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url;
  // Keys fetched in clear could be swapped in transit, and whoever swaps them can mint any login.
  throw new HushError(
    'HUSH_E_INVALID_INPUT',
    `${field} ${url.protocol}//${url.host} is not allowed: use https://, or http:// only to a loopback address (127.0.0.1, ::1, localhost)`,
  );
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
    throw new HushError(
      'HUSH_E_INVALID_INPUT',
      `its jwks_uri must use https:// like the discovery URL, not ${originOf(url)}`,
    );
  }
  return url;
}
