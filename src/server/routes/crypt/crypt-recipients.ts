import type { FastifyPluginAsync } from 'fastify';
import type { AuditEvent } from '../../../core/audit/audit-record.js';
import { type RecipientChange, recipientChangeOf, recipientView } from '../../../core/crypt/index.js';
import type {} from '../../plugins/audit.js';
import { routeAuth } from '../../route-config.js';
import { readableBy } from '../auth-helpers.js';

/** What the crypt recipients route needs: the server's own audit trail, verified, oldest first. */
export interface CryptRecipientsRouteDeps {
  readonly auditRecords: () => AsyncIterable<AuditEvent>;
}

const names = { type: 'array', items: { type: 'string' } } as const;
const changeSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    time: { type: 'string' },
    identity: { type: ['string', 'null'] },
    operation: { type: 'string' },
    files: names,
    recipients: names,
    rotated: names,
    rotateByHand: { type: 'integer' },
  },
} as const;
const fileSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    file: { type: 'string' },
    recipients: names,
    changes: { type: 'integer' },
    lastChange: { type: 'string' },
    lastBy: { type: ['string', 'null'] },
  },
} as const;

/**
 * `GET /v1/crypt/recipients`: what the server knows of `hush crypt` files, folded from the `crypt.audit` records of its
 * audit trail (recipient changes the CLI reported before touching a file): each file's recipients as far as those
 * changes tell, and the newest changes. Needs `read` on `sys/crypt`; a change's rotated store secrets are shown only
 * to a caller who may `read` them. Encrypted files live in repositories, not on
 * the server: a file never re-keyed is unknown here.
 */
export function cryptRecipientsRoutes(deps: CryptRecipientsRouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.get(
      '/v1/crypt/recipients',
      {
        schema: {
          summary:
            'Recipients of encrypted files, as hush crypt reported their changes (from the audit trail)',
          tags: ['crypt'],
          response: {
            200: {
              type: 'object',
              required: ['files', 'changes'],
              additionalProperties: false,
              properties: {
                files: { type: 'array', items: fileSchema },
                changes: { type: 'array', items: changeSchema },
              },
            },
          },
        },
        config: {
          requireUnsealed: true,
          auth: routeAuth.fixed('sys/crypt', 'read', 'read'),
          operation: 'crypt.recipients',
        },
      },
      async (request) => {
        request.auditPath = 'sys/crypt';
        const changes: RecipientChange[] = [];
        // Only the crypt records are kept in memory, not the whole trail.
        for await (const r of deps.auditRecords()) {
          const change = recipientChangeOf(r);
          if (change) changes.push(change);
        }
        const view = recipientView(changes);
        request.auditDetails = { files: view.files.length, changes: changes.length };
        // `rotated` names stored secrets: shown only to a caller who may read them.
        const mayRead = readableBy(request);
        const shown: RecipientChange[] = [];
        for (const c of view.changes) {
          const rotated: string[] = [];
          for (const path of c.rotated) if (await mayRead(path)) rotated.push(path);
          shown.push({ ...c, rotated });
        }
        return { ...view, changes: shown };
      },
    );
  };
}
