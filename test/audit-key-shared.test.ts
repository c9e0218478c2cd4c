import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_KEY_FILE, loadOrCreateAuditKey } from '../src/audit/audit-key-file.js';
import { hmacField } from '../src/core/audit/hmac-field.js';
import { type HushCluster, startHushCluster } from './support/hush-cluster.js';
import { api, type HushServer, startHushServer } from './support/hush-server.js';
import { startTestPostgres, type TestPostgres } from './support/postgres.js';
import { assertCompiledCli, runHush } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

// Issue 12.14: the audit HMAC key is kept in the store (sealed, shared by every node), not in a per-node file.

const VALUE = 'the-suspected-value';

async function hashOn(node: HushServer, token: string): Promise<string> {
  const res = await api(node, token, 'POST', '/v1/sys/audit/hash', { value: VALUE });
  expect(res.status, res.text).toBe(200);
  return (res.json as { hmac: string }).hmac;
}

describe('the audit HMAC key is shared by every node of a PostgreSQL cluster', () => {
  let pg: TestPostgres;
  let cluster: HushCluster;

  beforeAll(async () => {
    assertCompiledCli();
    pg = await startTestPostgres();
    const { url } = await pg.freshSchema();
    cluster = await startHushCluster({ storageUrl: url, count: 2 });
  }, 120_000);

  afterAll(async () => {
    await cluster?.dispose();
    await pg?.dispose();
  });

  it('hashes a value alike on both nodes, and no node keeps the key in a file', async () => {
    const [a, b] = cluster.nodes as [HushServer, HushServer];
    const onA = await hashOn(a, cluster.rootToken);
    const onB = await hashOn(b, cluster.rootToken);
    expect(onA).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(onB).toBe(onA);
    for (const node of cluster.nodes) expect(existsSync(join(node.dataDir, AUDIT_KEY_FILE))).toBe(false);
    // A node started later (a restart, a new replica) reads the same key.
    const c = await cluster.startNode(2);
    expect(await hashOn(c, cluster.rootToken)).toBe(onA);
  }, 120_000);
});

describe('a per-node key file left by an older server', () => {
  let dir: string;
  afterAll(async () => {
    if (dir) await removeTempDir(dir);
  });

  it('is moved into the store on first start (old HMACs still match), then deleted; local hash reads the store', async () => {
    assertCompiledCli();
    dir = await makeTempDir('audit-key-migrate');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const fileKey = await loadOrCreateAuditKey(join(dir, AUDIT_KEY_FILE));
    const before = hmacField(fileKey, VALUE);

    const server = await startHushServer({ dataDir: dir, timeoutMs: 40_000 });
    try {
      expect(await hashOn(server, server.rootToken as string)).toBe(before);
      expect(existsSync(join(dir, AUDIT_KEY_FILE))).toBe(false);
    } finally {
      await server.stop();
    }
    const local = await runHush(['audit', 'hash', '-', '--data-dir', dir], { input: VALUE, env: {} });
    expect(local.code, local.stderr).toBe(0);
    expect(local.stdout.trim()).toBe(before);

    // Restarted, the server keeps using the store's key (no new file, same HMAC).
    const again = await startHushServer({ dataDir: dir, timeoutMs: 40_000 });
    try {
      expect(again.rootToken).toBeUndefined();
      const login = await runHush(['audit', 'hash', '-'], {
        input: VALUE,
        env: { HUSH_ADDR: again.url, HUSH_TOKEN: server.rootToken as string },
      });
      expect(login.code, login.stderr).toBe(0);
      expect(login.stdout.trim()).toBe(before);
      expect(existsSync(join(dir, AUDIT_KEY_FILE))).toBe(false);
    } finally {
      await again.stop();
    }
  }, 120_000);
});
