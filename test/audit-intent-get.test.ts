import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { auditPlugin } from '../src/server/plugins/audit.js';
import { credsRoutes } from '../src/server/routes/creds/creds.js';

interface Appended {
  readonly seq: number;
  readonly outcome: string;
  readonly operation: string;
  readonly details?: Record<string, unknown>;
}

describe('a GET that changes state is recorded before it runs', () => {
  it('GET /v1/creds/:name/:role (issues a database user and a lease) gets a requested record first', async () => {
    const appended: Appended[] = [];
    const log = {
      async append(event: Omit<Appended, 'seq'>) {
        const record = { ...event, seq: appended.length + 1 };
        appended.push(record);
        return record;
      },
    };
    const plugin = auditPlugin(log as never);
    let seenAtIssue: Appended[] = [];
    const app = Fastify();
    app.decorateRequest('caller', undefined);
    app.addHook('onRequest', async (request) => {
      (request as { caller?: unknown }).caller = { id: 'user:amy', authMethod: 'token' };
    });
    app.register(plugin);
    app.register(
      credsRoutes({
        engines: {} as never,
        leases: {
          async issue() {
            seenAtIssue = [...appended];
            return { leaseId: 'lease-1', ttl: 60, username: 'u', password: 'p' } as never;
          },
          async revokePrefix() {
            return 0 as never;
          },
        },
      }),
    );
    try {
      const res = await app.inject({ url: '/v1/creds/pg/app' });
      expect(res.statusCode, res.body).toBe(200);
      expect(seenAtIssue.map((r) => [r.operation, r.outcome])).toEqual([['creds.read', 'requested']]);
      const outcome = appended.find((r) => r.outcome === 'allowed');
      expect(outcome?.details?.['requestSeq']).toBe(seenAtIssue[0]?.seq);
    } finally {
      await app.close();
    }
  });
});
