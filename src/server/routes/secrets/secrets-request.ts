import type { FastifyRequest } from 'fastify';
import { hushError } from '../../../core/errors/index.js';
import { type RequestedCapability, subtreeGrant } from '../../../core/policy/index.js';
import { parseAddress, parsePrefix } from '../../../core/secrets/address.js';
import { routeAuth } from '../../route-config.js';
import type { Caller } from '../../server-deps.js';
import type { SecretsRouteDeps } from './secrets-deps.js';

// Encoded separators would let one URL segment carry a slash or backslash past the router; never legitimate here.
const ENCODED_SEPARATOR = /%2f|%5c/i;

/**
 * The address below `routePrefix` (e.g. `/v1/secrets/`), taken from the RAW url so no router decoding step can turn
 * `%2e%2e` or `%2f` into something that skipped validation; then decoded once and checked by the engine's parser.
 */
export function rawPathAfter(request: FastifyRequest, routePrefix: string): string {
  const raw = (request.raw.url ?? '').split('?')[0] ?? '';
  const rest = raw.startsWith(routePrefix) ? raw.slice(routePrefix.length) : '';
  if (ENCODED_SEPARATOR.test(rest)) {
    throw hushError('ADDRESS_CONTAINS_ENCODED_2F_5C');
  }
  try {
    return decodeURIComponent(rest);
  } catch {
    throw hushError('ADDRESS_MALFORMED_ESCAPE_ENCODE');
  }
}

/** A full secret address from the URL, validated (traversal, charset, depth) and noted for the audit record. */
export function addressFrom(request: FastifyRequest, routePrefix: string): string {
  const text = rawPathAfter(request, routePrefix);
  parseAddress(text);
  request.auditPath = text;
  return text;
}

/** A prefix (1+ segments, or '' for the root when `allowRoot`) from the URL, validated and noted for the audit. */
export function prefixFrom(request: FastifyRequest, routePrefix: string, allowRoot = false): string {
  const text = rawPathAfter(request, routePrefix).replace(/\/$/, '');
  if (text === '' && allowRoot) {
    request.auditPath = '';
    return '';
  }
  parsePrefix(text);
  request.auditPath = text;
  return text;
}

/**
 * Route options of a route on the secret address after `routePrefix` (e.g. `/v1/secrets/`): the guard parses it
 * (addressFrom) and checks `capability` on it before the handler, which reads it with `authorizedPath(request)`.
 */
export function onAddress(routePrefix: string, capability: RequestedCapability) {
  return {
    requireUnsealed: true,
    auth: routeAuth.derived(capability, (request) => addressFrom(request, routePrefix)),
  } as const;
}

/** Like {@link onAddress}, for a prefix (1+ segments) after `routePrefix`. */
export function onPrefix(routePrefix: string, capability: RequestedCapability) {
  return {
    requireUnsealed: true,
    auth: routeAuth.derived(capability, (request) => prefixFrom(request, routePrefix)),
  } as const;
}

/** The authenticated caller; the guard sets it on every `config.auth` route. */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) {
    throw hushError('NO_VALID_TOKEN_PRESENTED');
  }
  return request.caller;
}

/** The actor string the store records in metadata (a non-secret caller id). */
export function actorOf(request: FastifyRequest): string {
  return callerOf(request).id;
}

/** Parse `?versions=1,2,3` into version numbers; HUSH_E_USAGE on anything else. */
export function parseVersionList(text: string | undefined): number[] | undefined {
  if (text === undefined || text === '') return undefined;
  const parts = text.split(',');
  const out = parts.map((p) => Number(p));
  if (out.some((n) => !Number.isInteger(n) || n < 1) || parts.some((p) => !/^\d+$/.test(p))) {
    throw hushError('VERSIONS_MUST_COMMA_SEPARATED_LIST', { text: text.slice(0, 40) });
  }
  return out;
}

/**
 * A bulk operation (move, import, export) on everything below `prefix` needs `capability` on the prefix (checked by
 * the guard, from the route's declaration) and on its whole subtree, with no deny rule below it (the rule is
 * core/policy's `subtreeGrant`).
 */
export async function requireWholeSubtree(
  deps: Pick<SecretsRouteDeps, 'callerPolicies' | 'now'>,
  request: FastifyRequest,
  prefix: string,
  capability: RequestedCapability,
): Promise<void> {
  const now = (deps.now ?? (() => new Date()))();
  const grant = subtreeGrant(
    await deps.callerPolicies.policiesFor(callerOf(request)),
    prefix,
    capability,
    now,
  );
  if (!grant.granted) {
    throw hushError('SUBTREE_CAPABILITY_MISSING', {
      prefix,
      capability,
      value:
        grant.why === 'deny-below'
          ? 'a deny rule applies below it'
          : 'the policies do not grant it on the whole subtree',
    });
  }
}
