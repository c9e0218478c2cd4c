import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HushCluster, startHushCluster } from './support/hush-cluster.js';
import { api, type HushServer } from './support/hush-server.js';
import { startTestPostgres, type TestPostgres } from './support/postgres.js';
import { assertCompiledCli } from './support/run-hush.js';
import { until } from './support/until.js';

// docs/alerts.md: a node taking over as leader does not raise again an alert whose cool-down is still running. The
// new leader unsealed long before the old one armed that cool-down, so it must load the stored ones when it leads.

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

const LEADS = 'this node now leads cluster background work';

interface Alert {
  path?: string;
}

const canaryAlerts = async (node: HushServer): Promise<Alert[]> =>
  (
    (await api(node, cluster.rootToken, 'GET', '/v1/sys/alerts?rule=canary-touched')).json as {
      alerts: Alert[];
    }
  ).alerts;

async function alertedOn(node: HushServer, path: string): Promise<Alert[]> {
  await until(`alert on ${path}`, async () => (await canaryAlerts(node)).some((a) => a.path === path));
  return canaryAlerts(node);
}

describe('alert cool-downs across a leader change', () => {
  it('the node taking over does not alert again inside a cool-down the old leader armed', async () => {
    await until('a leader', () => cluster.nodes.some((n) => n.stdout().includes(LEADS)));
    const [leader, follower] = cluster.nodes[0]!.stdout().includes(LEADS)
      ? [cluster.nodes[0]!, cluster.nodes[1]!]
      : [cluster.nodes[1]!, cluster.nodes[0]!];
    const root = cluster.rootToken;
    for (const name of ['old-admin', 'old-backup'])
      expect(
        (await api(leader, root, 'POST', '/v1/sys/canaries', { name, path: `ops/prod/${name}` })).status,
      ).toBe(200);
    expect((await api(leader, root, 'GET', '/v1/secrets/ops/prod/old-admin')).status).toBe(200);
    await alertedOn(leader, 'ops/prod/old-admin');
    await leader.stop(); // graceful: its cool-down is in the store
    await until('follower leads', () => follower.stdout().includes(LEADS));
    await api(follower, root, 'GET', '/v1/secrets/ops/prod/old-admin');
    await api(follower, root, 'GET', '/v1/secrets/ops/prod/old-backup');
    const after = await alertedOn(follower, 'ops/prod/old-backup');
    expect(after.map((a) => a.path)).toEqual(['ops/prod/old-backup']);
  }, 120_000);
});
