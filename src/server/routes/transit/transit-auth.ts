import type { FastifyRequest } from 'fastify';
import { transitRequestDigest as digestOf } from '../../../core/approvals/index.js';
import type { AuditValue } from '../../../core/audit/audit-record.js';
import { keyPolicyPath } from '../../../transit/index.js';
import { routeAuth } from '../../route-config.js';

/** A request to a `/:name` transit route. */
export type KeyRequest = FastifyRequest<{ Params: { name: string }; Body: unknown }>;

/** Digests computed for approvals, kept per request so the audit record can name the one that was checked. */
const digests = new WeakMap<FastifyRequest, string>();

/**
 * The `requestDigest` of a transit batch request (`{ batch: [...] }` or one item), as pinned approvals bind it:
 * the operation, the key and every item in order.
 */
export function pinnedDigest(operation: string, request: KeyRequest): string {
  const { batch, ...one } = (request.body ?? {}) as { batch?: Record<string, unknown>[] };
  const digest = digestOf(operation, request.params.name, batch ?? [one]);
  digests.set(request, digest);
  // A refused request is audited too: its record names the digest it would have needed an approval for.
  request.auditDetails = { ...request.auditDetails, requestDigest: digest };
  return digest;
}

/** The digest an approval check computed for `request` (undefined when no approval was needed). */
export const checkedDigest = (request: FastifyRequest): string | undefined => digests.get(request);

/**
 * Route options of a transit route on one key: `capability` on `transit/keys/<name>` (the guard checks it before the
 * handler), which is also the audit path; `details`, when given, are noted for the audit record whatever the outcome.
 * An approval a rule requires for it can be pinned to the exact request ({@link pinnedDigest}).
 */
export function keyAuth(
  operation: string,
  capability: string,
  details?: (request: KeyRequest) => Record<string, AuditValue>,
) {
  return {
    requireUnsealed: true,
    operation,
    auth: routeAuth.derived(
      capability,
      (request: KeyRequest) => {
        const path = keyPolicyPath(request.params.name);
        request.auditPath = path;
        if (details) request.auditDetails = details(request);
        return path;
      },
      (request: KeyRequest) => pinnedDigest(operation, request),
    ),
  } as const;
}
