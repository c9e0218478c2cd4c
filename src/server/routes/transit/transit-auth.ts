import type { FastifyRequest } from 'fastify';
import type { AuditValue } from '../../../core/audit/audit-record.js';
import { keyPolicyPath } from '../../../transit/index.js';
import { routeAuth } from '../../route-config.js';

/** A request to a `/:name` transit route. */
export type KeyRequest = FastifyRequest<{ Params: { name: string }; Body: unknown }>;

/**
 * Route options of a transit route on one key: `capability` on `transit/keys/<name>` (the guard checks it before the
 * handler), which is also the audit path; `details`, when given, are noted for the audit record whatever the outcome.
 */
export function keyAuth(
  operation: string,
  capability: string,
  details?: (request: KeyRequest) => Record<string, AuditValue>,
) {
  return {
    requireUnsealed: true,
    operation,
    auth: routeAuth.derived(capability, (request: KeyRequest) => {
      const path = keyPolicyPath(request.params.name);
      request.auditPath = path;
      if (details) request.auditDetails = details(request);
      return path;
    }),
  } as const;
}
