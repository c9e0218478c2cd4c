import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../core/policy/compile-policy.js';
import type { ListSecretsOptions } from '../../../store/index.js';
import { createListCursors } from './list-cursor.js';
import type { SecretsRouteDeps } from './secrets-deps.js';
import { secretsListRoutes } from './secrets-list.js';

describe('GET /v1/list as a restricted caller', () => {
  it('does not scan a prefix under which nothing can be visible (no timing or scan-budget tell)', async () => {
    const scanned: string[] = [];
    const deps = {
      store: {
        list: async (prefix: string, options: ListSecretsOptions) => {
          scanned.push(prefix);
          const entries = [{ name: 'x', path: `${prefix}/x`, kind: 'secret' as const }];
          return { entries: entries.filter((e) => options.accept?.(e) ?? true) };
        },
      },
      callerPolicies: {
        policiesFor: async () => [
          parsePolicy({ name: 'r', rules: [{ path: 'app/prod/**', capabilities: ['read', 'list'] }] }),
        ],
      },
      listCursors: createListCursors(async () => Buffer.alloc(32, 7)),
      limits: { maxValueBytes: 1024 },
    } as unknown as SecretsRouteDeps;
    const app = Fastify();
    app.addHook('onRequest', async (request) => {
      request.caller = { id: 'caller-1' };
    });
    await app.register(secretsListRoutes(deps));
    const list = async (url: string) => (await app.inject({ url })).json() as { entries: unknown[] };

    expect((await list('/v1/list/zeta/prod?recursive=true')).entries).toEqual([]);
    expect((await list('/v1/list/app/dev')).entries).toEqual([]);
    expect(scanned).toEqual([]);
    expect((await list('/v1/list/app/prod?recursive=true')).entries).toEqual([
      { name: 'x', path: 'app/prod/x', kind: 'secret' },
    ]);
    expect((await list('/v1/list/app')).entries).toHaveLength(0);
    expect(scanned).toEqual(['app/prod', 'app']);
    await app.close();
  });
});
