import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DYNALITE_CREDENTIALS, startTestDynamo, type TestDynamo } from '../../test/support/dynalite.js';
import { openDynamoBackend } from '../storage/dynamodb/index.js';
import { clusterStorageOf } from '../storage/lease-store.js';
import { createLeaseLeadership, type LeaseLeadership } from './lease-leadership.js';

/** Leader election over a DynamoDB lease item: two backends (two SDK clients, as two nodes) on dynalite. */

let server: TestDynamo;
beforeAll(async () => {
  server = await startTestDynamo();
});
afterAll(() => server.stop());

async function twoNodes() {
  const config = server.freshConfig();
  const a = await openDynamoBackend(config, { credentials: DYNALITE_CREDENTIALS });
  const b = await openDynamoBackend({ ...config, createTable: false }, { credentials: DYNALITE_CREDENTIALS });
  return {
    a: clusterStorageOf(a)!,
    b: clusterStorageOf(b)!,
    close: () => Promise.all([a.close(), b.close()]),
  };
}

describe('lease leadership on DynamoDB', () => {
  it('elects exactly one of two nodes racing for a fresh lease', async () => {
    const nodes = await twoNodes();
    const [x, y] = [nodes.a, nodes.b].map((n) =>
      createLeaseLeadership({ store: n.leaseStore('leader'), checkIntervalMs: 0 }),
    );
    const won = await Promise.all([x!.checkNow(), y!.checkNow()]);
    expect(won.filter(Boolean)).toHaveLength(1);
    expect([x!.isLeader(), y!.isLeader()].filter(Boolean)).toHaveLength(1);
    await Promise.all([x!.close(), y!.close()]);
    await nodes.close();
  });

  it('keeps one leader while it renews; the other takes over once it stops, and at once on a clean close', async () => {
    const nodes = await twoNodes();
    let t = 0;
    const now = () => t;
    const leaseMs = 1_000;
    const lead = (store: typeof nodes.a): LeaseLeadership =>
      createLeaseLeadership({ store: store.leaseStore('leader'), leaseMs, checkIntervalMs: 0, now });
    const a = lead(nodes.a);
    expect(await a.checkNow()).toBe(true);
    const b = lead(nodes.b);
    expect(await b.checkNow()).toBe(false);
    // Five leases' worth of time: A renews every 400 ms and B never leads.
    for (let i = 0; i < 12; i++) {
      t += 400;
      expect(await a.checkNow()).toBe(true);
      expect(await b.checkNow()).toBe(false);
    }
    // A stops renewing (a hung or dead node). Its own clock ends its lease a lease after its last renewal was sent;
    // B takes over only once it has seen the same record for a whole lease by its own count, which is later.
    t += 400;
    expect(await b.checkNow()).toBe(false);
    expect(a.isLeader()).toBe(true);
    t += 700;
    expect(a.isLeader()).toBe(false);
    expect(await b.checkNow()).toBe(true);
    // A comes back: its renewal is refused (the record is B's now) and it follows.
    expect(await a.checkNow()).toBe(false);
    expect(b.isLeader()).toBe(true);
    // A clean close releases the lease: A takes over on its next look, without waiting a lease.
    await b.close();
    expect(await a.checkNow()).toBe(true);
    await a.close();
    await nodes.close();
  });
});
