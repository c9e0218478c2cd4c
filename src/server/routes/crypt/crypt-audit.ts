import type { FastifyPluginAsync } from 'fastify';
import { undeclaredResponse } from '../../../api/contract.js';
import type { CryptAuditRecord } from '../../../core/crypt/index.js';
import { authorized } from '../auth-helpers.js';

const names = (max: number) =>
  ({ type: 'array', maxItems: max, items: { type: 'string', minLength: 1, maxLength: 4096 } }) as const;

const bodySchema = {
  type: 'object',
  required: ['operation', 'files', 'recipients', 'rotated', 'rotateByHand'],
  additionalProperties: false,
  properties: {
    operation: { type: 'string', enum: ['recipients.add', 'recipients.remove'] },
    files: names(10_000),
    recipients: names(1000),
    rotated: names(10_000),
    rotateByHand: { type: 'integer', minimum: 0 },
  },
} as const;

/**
 * `POST /v1/crypt/audit`: `hush crypt` edits files on the user's machine, so the server cannot see a recipient change
 * happen; the CLI reports it here before it writes any file, and the audit plugin records the body's names in the
 * record (files, recipients, rotated secrets). Needs `update` on `sys/crypt`. A failing audit sink fails the request,
 * and the CLI then writes nothing.
 */
export function cryptAuditRoutes(): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: CryptAuditRecord }>(
      '/v1/crypt/audit',
      {
        schema: {
          summary: 'Record a hush crypt recipient change',
          tags: ['crypt'],
          body: bodySchema,
          response: undeclaredResponse,
        },
        config: { ...authorized('sys/crypt', 'update'), operation: 'crypt.audit' },
      },
      async (request) => {
        const b = request.body;
        request.auditPath = 'sys/crypt';
        request.auditDetails = {
          cryptOperation: b.operation,
          files: b.files,
          recipients: b.recipients,
          rotated: b.rotated,
          rotateByHand: b.rotateByHand,
        };
        return { recorded: true };
      },
    );
  };
}
