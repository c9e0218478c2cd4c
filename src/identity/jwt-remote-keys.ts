import {
  createRemoteJWKSet,
  customFetch,
  errors,
  type FetchImplementation,
  type JWTVerifyGetKey,
  type RemoteJWKSet,
} from 'jose';
import { HushError, isHushError } from '../core/errors/hush-error.js';
import { hushError } from '../core/errors/index.js';
import { hostAllowed, notAllowed, type OutboundGuard, portOf } from '../net/outbound-allow-list.js';
import { FetchProblem, fetchJson, formatMs } from './fetch-json.js';
import { originOf, parseDiscoveredKeyUrl, parseKeyUrl } from './jwt-key-url.js';

/** How remote keys are fetched and cached. */
export interface RemoteKeyOptions {
  /** Deadline of one fetch (keys or discovery document). */
  readonly timeoutMs: number;
  /** After a fetch, how long a JWT with an unknown `kid` waits before it may trigger another (bounds refetch storms). */
  readonly cooldownMs: number;
  /** How long fetched keys and discovery documents are reused before they are fetched again. */
  readonly cacheMaxAgeMs: number;
  /** Largest response accepted. */
  readonly maxBytes: number;
}

/** Defaults: 5 s timeout, 30 s cooldown, 10 min cache, 1 MiB. */
export const REMOTE_KEY_DEFAULTS: RemoteKeyOptions = Object.freeze({
  timeoutMs: 5_000,
  cooldownMs: 30_000,
  cacheMaxAgeMs: 600_000,
  maxBytes: 1 << 20,
});

/** Where a role's keys are published: a JWKS URL, or an issuer whose discovery document names one. */
export type RemoteKeySource =
  | { readonly jwksUrl: string }
  | { readonly oidcDiscoveryUrl: string; readonly boundIssuer: string };

interface Discovery {
  readonly issuer: string;
  readonly jwksUri: URL;
}

/** Cached entries are per URL; roles come and go, so the maps are bounded (oldest out). */
const MAX_CACHED_URLS = 256;

/** Whether the set's cached keys (no fetch) include `kid`. */
function cachedKid(set: RemoteJWKSet, kid: string | undefined): boolean {
  return kid !== undefined && (set.jwks()?.keys ?? []).some((k) => k.kid === kid);
}

/** A discovery load: settled at `at` (ms), a failure when `failed`. */
interface DiscoveryEntry {
  at?: number;
  failed: boolean;
  readonly promise: Promise<Discovery>;
}

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  if (map.size >= MAX_CACHED_URLS && !map.has(key)) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
  map.set(key, value);
}

const WELL_KNOWN = '/.well-known/openid-configuration';

/** `<issuer>/.well-known/openid-configuration` (a URL already ending so is used as given). */
export function discoveryDocumentUrl(base: URL): URL {
  if (base.pathname.endsWith(WELL_KNOWN)) return base;
  const url = new URL(base.href);
  url.pathname = url.pathname.replace(/\/$/, '') + WELL_KNOWN;
  return url;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const isJwks = (v: unknown): boolean => isObject(v) && Array.isArray(v['keys']) && v['keys'].every(isObject);

/** Upstream text in a one-line message: quoted (escapes newlines) and clipped. */
const quote = (s: string): string => JSON.stringify(s.length > 200 ? `${s.slice(0, 200)}...` : s);

/**
 * Fetch JWT roles' keys from URLs. One jose remote key set per JWKS URL, shared by every role and login naming it,
 * so keys are fetched once per `cacheMaxAgeMs`, and again early only when a JWT names an unknown `kid` (key rotation)
 * and the cooldown has passed. Fetch failures become HUSH_E_UPSTREAM naming the host and the reason.
 *
 * @example
 * const remote = createRemoteKeys();
 * await jwtVerify(jwt, remote.resolver({ jwksUrl: 'https://issuer.example/jwks' }), options);
 */
export function createRemoteKeys(
  options: Partial<RemoteKeyOptions> & {
    /** Clock (ms) of the remembered failures and discovery documents; jose's key cache keeps real time. */
    readonly now?: () => number;
    /**
     * On a server: key URLs go only to the admin's outbound allow-list (by name when a role is written and before
     * each fetch, by address when the socket connects), and why a fetch failed goes to the server log, not to the
     * caller (a role writer or an anonymous login could otherwise map internal ports). Absent: unrestricted.
     */
    readonly outbound?: OutboundGuard;
  } = {},
) {
  const { now = Date.now, outbound, ...rest } = options;
  const o: RemoteKeyOptions = { ...REMOTE_KEY_DEFAULTS, ...rest };
  const sets = new Map<string, RemoteJWKSet>();
  const discoveries = new Map<string, DiscoveryEntry>();
  const keyFailures = new Map<string, { until: number; error: HushError }>();

  // jose does the caching, cooldown and kid matching; this bounds the body and names what went wrong.
  const boundedFetch: FetchImplementation = async (url, init) => {
    checkAllowed(new URL(url), 'jwks_uri');
    const json = await fetchJson(url, {
      ...init,
      timeoutMs: o.timeoutMs,
      maxBytes: o.maxBytes,
      ...(outbound ? { allow: outbound.allow } : {}),
    });
    if (!isJwks(json)) throw new FetchProblem('the response is not a JSON Web Key Set ({"keys": [...]})');
    return new Response(JSON.stringify(json), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  };

  /** Refuse a URL whose host is off the allow-list (a role written before the list, or a discovered jwks_uri). */
  function checkAllowed(url: URL, field: string): void {
    if (outbound && !hostAllowed(outbound.allow, url.hostname, portOf(url)))
      throw notAllowed(`JWT role ${field}`, url.hostname, portOf(url));
  }

  /**
   * The reason a caller sees for a failed fetch: the reason itself in local mode; on a server only that it failed
   * (the reason goes to the server log), since which port answered what is exactly what a probe wants to learn.
   */
  function callerReason(origin: string, reason: string, what: string): string {
    if (!outbound) return reason;
    outbound.log({ origin, reason }, `fetching a JWT role's ${what} failed`);
    return 'the server log has the details';
  }

  function setFor(url: URL): RemoteJWKSet {
    let set = sets.get(url.href);
    if (!set) {
      set = createRemoteJWKSet(url, {
        timeoutDuration: o.timeoutMs,
        cooldownDuration: o.cooldownMs,
        cacheMaxAge: o.cacheMaxAgeMs,
        [customFetch]: boundedFetch,
      });
      remember(sets, url.href, set);
    }
    return set;
  }

  async function loadDiscovery(base: URL): Promise<Discovery> {
    const origin = originOf(base);
    checkAllowed(base, 'oidcDiscoveryUrl');
    let doc: unknown;
    try {
      doc = await fetchJson(discoveryDocumentUrl(base).href, {
        signal: AbortSignal.timeout(o.timeoutMs),
        timeoutMs: o.timeoutMs,
        maxBytes: o.maxBytes,
        ...(outbound ? { allow: outbound.allow } : {}),
      });
    } catch (err) {
      const reason = callerReason(
        origin,
        err instanceof FetchProblem ? err.reason : 'network error',
        'OIDC discovery document',
      );
      throw hushError('OIDC_DISCOVERY_FETCH_FAILED', { origin, reason });
    }
    if (!isObject(doc) || typeof doc['issuer'] !== 'string' || typeof doc['jwks_uri'] !== 'string') {
      throw hushError('OIDC_DISCOVERY_DOCUMENT_NO_STRING', { origin });
    }
    try {
      return { issuer: doc['issuer'], jwksUri: parseDiscoveredKeyUrl(doc['jwks_uri'], base) };
    } catch (err) {
      const why = err instanceof HushError ? err.message : 'its jwks_uri is not a URL';
      throw hushError('OIDC_DISCOVERY_DOCUMENT_NOT_USABLE', { origin, why });
    }
  }

  /**
   * The discovery document of `base`, cached for `cacheMaxAgeMs`; a failure is remembered for `cooldownMs`, so
   * anonymous logins cannot make us hammer an issuer that is already failing (concurrent loads share one fetch).
   */
  function discover(base: URL): Promise<Discovery> {
    const hit = discoveries.get(base.href);
    const fresh = (e: DiscoveryEntry) =>
      e.at === undefined || now() - e.at < (e.failed ? o.cooldownMs : o.cacheMaxAgeMs);
    if (hit && fresh(hit)) return hit.promise;
    const entry: DiscoveryEntry = { promise: loadDiscovery(base), failed: false };
    entry.promise.then(
      () => {
        entry.at = now();
      },
      () => {
        entry.at = now();
        entry.failed = true;
      },
    );
    remember(discoveries, base.href, entry);
    return entry.promise;
  }

  async function jwksUrlOf(source: RemoteKeySource): Promise<{ url: URL; hint: string }> {
    if ('jwksUrl' in source) {
      return { url: parseKeyUrl(source.jwksUrl, 'jwksUrl'), hint: 'check jwksUrl' };
    }
    const base = parseKeyUrl(source.oidcDiscoveryUrl, 'oidcDiscoveryUrl');
    const d = await discover(base);
    if (d.issuer !== source.boundIssuer) {
      throw hushError('OIDC_DISCOVERY_DOCUMENT_NAMES_ISSUER', {
        origin: originOf(base),
        issuer: quote(d.issuer),
        boundIssuer: quote(source.boundIssuer),
      });
    }
    return { url: d.jwksUri, hint: "check the jwks_uri of the issuer's discovery document" };
  }

  /** The reason when `err` is a failure to get the key set (not a key that fails to match or verify). */
  function fetchReason(err: unknown): string | undefined {
    if (err instanceof FetchProblem) return err.reason;
    if (err instanceof errors.JWKSTimeout) return `timed out after ${formatMs(o.timeoutMs)}`;
    if (err instanceof errors.JWKSInvalid) return 'the response is not a valid JSON Web Key Set';
    return undefined;
  }

  return {
    /**
     * Refuse a role whose key URL names a host off the server's outbound allow-list (HUSH_E_INVALID_INPUT naming the
     * host), when it is written. A no-op in local mode and for roles with inline keys.
     */
    checkRoleUrls(urls: { readonly jwksUrl?: string; readonly oidcDiscoveryUrl?: string }): void {
      if (urls.jwksUrl !== undefined) checkAllowed(parseKeyUrl(urls.jwksUrl, 'jwksUrl'), 'jwksUrl');
      if (urls.oidcDiscoveryUrl !== undefined)
        checkAllowed(parseKeyUrl(urls.oidcDiscoveryUrl, 'oidcDiscoveryUrl'), 'oidcDiscoveryUrl');
    },
    /** A jose key resolver for `source`; it fetches lazily, when a JWT's header has been parsed and its alg allowed. */
    resolver(source: RemoteKeySource): JWTVerifyGetKey {
      return async (header, token) => {
        const { url, hint } = await jwksUrlOf(source);
        // A key fetch that failed is not tried again within the cooldown (jose's own cooldown starts only after a
        // success): failing logins answer from memory instead of each sending a request to the issuer. A JWT whose
        // key is in the still-fresh cached set is verified as usual (jose fetches nothing for it), so an unknown
        // `kid` that happened to trigger a failed refetch cannot lock out logins with known keys.
        const set = setFor(url);
        const failed = keyFailures.get(url.href);
        if (failed && now() < failed.until && !(set.fresh && cachedKid(set, header.kid))) throw failed.error;
        try {
          return await set(header, token);
        } catch (err) {
          if (isHushError(err, 'HUSH_E_INVALID_INPUT')) throw err; // off the allow-list: said as it is
          const found = fetchReason(err);
          if (found === undefined) throw err;
          const reason = callerReason(originOf(url), found, 'keys');
          const error = hushError('JWT_KEYS_FETCH_FAILED', { origin: originOf(url), reason, hint });
          remember(keyFailures, url.href, { until: now() + o.cooldownMs, error });
          throw error;
        }
      };
    },
  };
}

/** The remote key fetcher's API. */
export type RemoteKeys = ReturnType<typeof createRemoteKeys>;
