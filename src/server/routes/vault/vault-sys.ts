import type { FastifyPluginAsync } from 'fastify';
import { undeclaredResponse } from '../../../api/contract.js';
import { routeAuth } from '../../route-config.js';
import type { SealControl } from '../../server-deps.js';
import { VAULT_DOC } from './vault-request.js';

// Final statuses only: a 1xx (101 Switching Protocols) from an unauthenticated GET would let a reverse proxy that
// trusts the status turn the connection into a tunnel past its own rules.
const STATUS_CODE = { type: 'string', pattern: '^[2-5][0-9]{2}$' } as const;

interface HealthQuery {
  activecode?: string;
  sealedcode?: string;
  uninitcode?: string;
  standbyok?: string;
}

/**
 * `sys/health` and `sys/seal-status` in Vault's shapes, unauthenticated and served while sealed, as Vault serves
 * them. Health answers 200 / 503 sealed / 501 not initialised, overridable by `activecode`, `sealedcode`,
 * `uninitcode`; a Hush node is never a standby.
 */
export function vaultSysRoutes(store: Pick<SealControl, 'status'>, version: string): FastifyPluginAsync {
  const vaultVersion = `${version}+hush`;
  return async (app) => {
    app.get<{ Querystring: HealthQuery }>(
      '/v1/sys/health',
      {
        schema: {
          summary: 'Health (Vault-compatible)',
          ...VAULT_DOC,
          querystring: {
            type: 'object',
            properties: {
              activecode: STATUS_CODE,
              sealedcode: STATUS_CODE,
              uninitcode: STATUS_CODE,
              standbyok: { type: 'string' },
            },
          },
          response: undeclaredResponse,
        },
        config: { auth: routeAuth.public },
      },
      async (request, reply) => {
        const status = await store.status();
        const q = request.query;
        const code = !status.initialized
          ? Number(q.uninitcode ?? 501)
          : status.sealed
            ? Number(q.sealedcode ?? 503)
            : Number(q.activecode ?? 200);
        reply.code(code);
        return {
          initialized: status.initialized,
          sealed: status.sealed,
          standby: false,
          performance_standby: false,
          replication_performance_mode: 'disabled',
          replication_dr_mode: 'disabled',
          server_time_utc: Math.floor(Date.now() / 1000),
          version: vaultVersion,
          cluster_name: 'hush',
          cluster_id: '',
        };
      },
    );

    app.get(
      '/v1/sys/seal-status',
      // Audited under the native operation name (the default would be derived from the /vault/v1/... URL).
      {
        schema: { summary: 'Seal status (Vault-compatible)', ...VAULT_DOC, response: undeclaredResponse },
        config: { operation: 'sys.seal-status', auth: routeAuth.public },
      },
      async () => {
        const status = await store.status();
        return {
          type: status.kind ?? 'shamir',
          initialized: status.initialized,
          sealed: status.sealed,
          t: status.threshold ?? 1,
          n: status.shares ?? 1,
          progress: status.progress ?? 0,
          nonce: status.nonce ?? '',
          version: vaultVersion,
          build_date: '',
          migration: false,
          recovery_seal: false,
          storage_type: 'hush',
        };
      },
    );
  };
}
