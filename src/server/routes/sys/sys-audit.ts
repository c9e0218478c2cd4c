import type { FastifyPluginAsync } from 'fastify';
import { hmacField } from '../../../core/audit/hmac-field.js';
import { routeAuth } from '../../route-config.js';

/** What the audit hash route needs: the audit HMAC key (the same one the audit log uses). */
export interface SysAuditDeps {
  /** A key, or a function giving the current one (the server's is read from the store once unsealed). */
  readonly hmacKey: Uint8Array | (() => Uint8Array);
}

const MAX_VALUE_BYTES = 64 * 1024;

const hashBodySchema = {
  type: 'object',
  required: ['value'],
  additionalProperties: false,
  properties: { value: { type: 'string', maxLength: MAX_VALUE_BYTES } },
} as const;

const hashReplySchema = {
  description: 'the value HMAC-SHA256ed under the audit key, as it appears in audit records',
  type: 'object',
  required: ['hmac'],
  additionalProperties: false,
  properties: { hmac: { type: 'string' } },
} as const;

/**
 * `POST /v1/sys/audit/hash {value}` -> `{hmac}`: lets an investigator match a known value against HMAC'd audit
 * fields without the key leaving the server. Needs `sudo` (policies: `admin`) on `sys/audit`, because an oracle for
 * the audit HMAC lets its caller test guesses. The value is never logged or audited: the audit record holds the
 * route, caller and status only (the plugin never records bodies).
 */
export function sysAuditRoutes(deps: SysAuditDeps): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: { value: string } }>(
      '/v1/sys/audit/hash',
      {
        schema: {
          summary: 'HMAC a value with the audit key, to search the audit trail for it',
          tags: ['sys'],
          body: hashBodySchema,
          response: { 200: hashReplySchema },
        },
        config: {
          requireUnsealed: true,
          operation: 'sys.audit.hash',
          auth: routeAuth.fixed('sys/audit', 'sudo'),
        },
      },
      async (request) => {
        request.auditPath = 'sys/audit';
        const key = typeof deps.hmacKey === 'function' ? deps.hmacKey() : deps.hmacKey;
        return { hmac: hmacField(key, request.body.value) };
      },
    );
  };
}
