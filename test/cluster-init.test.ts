import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadServerConfig } from '../src/config/server-config.js';
import { type OpenedServerDeps, openServerDeps } from '../src/server/compose/open-server-deps.js';
import { freePort, startTestPostgres, type TestPostgres } from './support/postgres.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';
import { until } from './support/until.js';

let pg: TestPostgres;
beforeAll(async () => {
  pg = await startTestPostgres();
}, 120_000);
afterAll(async () => {
  await pg?.dispose();
});

/** Open `count` nodes' deps at once (in one process, so their start-ups interleave at every await). */
async function openNodes(url: string, dir: string, count: number, env: Record<string, string> = {}) {
  const terminals: string[] = Array.from({ length: count }, () => '');
  const nodes = await Promise.all(
    terminals.map((_, i) => {
      const { config } = loadServerConfig({
        cwd: dir,
        flags: { listen: '127.0.0.1:0', logLevel: 'silent', dataDir: join(dir, `node${i}`) },
        env: {
          HUSH_STORAGE_URL: url,
          HUSH_SEAL_KIND: 'key-file',
          HUSH_SEAL_KEY_FILE: join(dir, 'root.key'),
          ...env,
        },
      });
      return openServerDeps(
        config,
        {
          write: (t: string) => {
            terminals[i] += t;
          },
        },
        { sealWatchIntervalMs: 100 },
      );
    }),
  );
  return { nodes, terminals };
}

async function closeAll(nodes: readonly OpenedServerDeps[]) {
  for (const node of nodes) for (const hook of node.onShutdown ?? []) await hook();
}

describe('nodes starting together on an empty PostgreSQL database', () => {
  it('initialise it exactly once; the others unseal from the shared key file (10 rounds)', async () => {
    let joined = 0;
    for (let round = 0; round < 10; round++) {
      const dir = await makeTempDir('cluster-init');
      const { url, drop } = await pg.freshSchema();
      const { nodes, terminals } = await openNodes(url, dir, 3);
      try {
        const winners = terminals.filter((t) => t.includes('root token (shown once'));
        expect(winners, terminals.join('\n---\n')).toHaveLength(1);
        joined += terminals.filter((t) => t.includes('another node initialised the shared store')).length;
        for (const node of nodes) expect((await node.store.status()).sealed).toBe(false);
        // Every node reads what another wrote with the winner's root token.
        const [a, b, c] = nodes.map((n) => n.parts.store) as [
          OpenedServerDeps['parts']['store'],
          OpenedServerDeps['parts']['store'],
          OpenedServerDeps['parts']['store'],
        ];
        await a.put('app/prod/k', `r${round}`, { actor: 'test' });
        expect((await b.get('app/prod/k')).value).toBe(`r${round}`);
        expect((await c.get('app/prod/k')).value).toBe(`r${round}`);
        // Exactly one node leads once the leadership checks have run.
        await until('one leader', () => nodes.filter((n) => n.parts.leadership.isLeader()).length === 1);
        expect(nodes.filter((n) => n.parts.leadership.isLeader())).toHaveLength(1);
      } finally {
        await closeAll(nodes);
        await drop();
        await removeTempDir(dir);
      }
    }
    // The start-ups really raced: losers took the join path (rather than starting after the init was done).
    expect(joined).toBeGreaterThan(0);
  }, 120_000);

  it('seals every node when one is sealed', async () => {
    const dir = await makeTempDir('cluster-seal');
    const { url, drop } = await pg.freshSchema();
    const { nodes } = await openNodes(url, dir, 2);
    try {
      const [a, b] = nodes as [OpenedServerDeps, OpenedServerDeps];
      await a.store.seal();
      await until('the other node seals', async () => (await b.store.status()).sealed);
      expect((await b.store.status()).sealed).toBe(true);
      expect(b.parts.store.isSealed()).toBe(true);
    } finally {
      await closeAll(nodes);
      await drop();
      await removeTempDir(dir);
    }
  }, 60_000);
});

describe('a node whose PostgreSQL is unreachable at start-up', () => {
  it('fails in one coded line naming host:port/database, without the password, instead of retrying', async () => {
    const dir = await makeTempDir('cluster-down');
    const url = new URL(pg.url);
    url.port = String(await freePort()); // nothing listens there
    try {
      const { config } = loadServerConfig({
        cwd: dir,
        flags: { listen: '127.0.0.1:0', logLevel: 'silent', dataDir: dir },
        env: { HUSH_STORAGE_URL: url.toString() },
      });
      // The test's timeout bounds it: an unreachable database must end the start-up, not leave it retrying.
      const err = await openServerDeps(config, { write: () => true }).then(
        () => undefined,
        (e: unknown) => e as { code?: string; message: string },
      );
      expect(err?.code).toBe('HUSH_E_STORAGE');
      expect(err?.message).toContain(`127.0.0.1:${url.port}/postgres`);
      expect(err?.message).not.toContain(pg.password);
      expect(err?.message).not.toContain('\n');
    } finally {
      await removeTempDir(dir);
    }
  });
});
