import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { api, type HushServer, perTestServers } from './support/hush-server.js';
import { runHush } from './support/run-hush.js';

// Alert cool-downs live in the store (sealed), so a restart on the same data directory repeats nothing: a canary
// read that alerted before the restart does not alert again within its cool-down after it.

const servers = perTestServers();

interface Alert {
  rule: string;
  path?: string;
}

const canaryAlerts = async (server: HushServer, root: string): Promise<Alert[]> =>
  ((await api(server, root, 'GET', '/v1/sys/alerts?rule=canary-touched')).json as { alerts: Alert[] }).alerts;

/** Alerts come from the audit subscriber just after the reply: wait until `path` has alerted (no fixed sleep). */
async function alertedOn(server: HushServer, root: string, path: string): Promise<Alert[]> {
  for (;;) {
    const found = await canaryAlerts(server, root);
    if (found.some((a) => a.path === path)) return found;
    await new Promise((r) => setImmediate(r));
  }
}

async function hushOk(server: HushServer, root: string, args: readonly string[]): Promise<void> {
  const run = await runHush(args, { env: { HUSH_ADDR: server.url, HUSH_TOKEN: root } });
  if (run.code !== 0) throw new Error(`hush ${args[0]}: exit ${run.code}; ${run.stderr}`);
}

describe('alert state across a restart', () => {
  it('an alert that fired before a restart does not fire again within its cool-down after it', async () => {
    const dataDir = await servers.tempDir('alert-state');
    const first = await servers.start({ dataDir });
    const root = first.rootToken ?? (await readFile(join(dataDir, 'root-token'), 'utf8')).trim();
    await hushOk(first, root, ['canary', 'create', 'old-admin', '--path', 'ops/prod/old-admin']);
    await hushOk(first, root, ['canary', 'create', 'old-backup', '--path', 'ops/prod/old-backup']);
    await hushOk(first, root, ['get', 'ops/prod/old-admin']);
    expect((await alertedOn(first, root, 'ops/prod/old-admin')).length).toBe(1);
    await first.stop();

    const second = await servers.start({ dataDir, port: first.port });
    // The same caller reads the same decoy from the same address: inside the cool-down, so no alert; then a read of
    // the other decoy, whose alert shows that the first read's audit record was evaluated before it.
    await hushOk(second, root, ['get', 'ops/prod/old-admin']);
    await hushOk(second, root, ['get', 'ops/prod/old-backup']);
    const after = await alertedOn(second, root, 'ops/prod/old-backup');
    expect(after.map((a) => a.path)).toEqual(['ops/prod/old-backup']);
  });
});
