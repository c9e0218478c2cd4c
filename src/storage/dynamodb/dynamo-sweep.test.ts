import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DYNALITE_CREDENTIALS, startTestDynamo, type TestDynamo } from '../../../test/support/dynalite.js';
import { rawClient, scanAll, setAttributes } from '../../../test/support/dynamo-test-support.js';
import type { DynamoBackend } from './dynamo-backend.js';
import { openDynamoBackend } from './index.js';

/** The sweeper removes what crashed writers of the DynamoDB protocol leave, on dynalite (real DynamoDB API). */

let server: TestDynamo;
let raw: ReturnType<typeof rawClient>;
beforeAll(async () => {
  server = await startTestDynamo();
  raw = rawClient(server);
});
afterAll(async () => {
  raw.destroy();
  await server.stop();
});

const bytes = (s: string) => Buffer.from(s);
const big = Buffer.alloc(500_000, 7); // over the head item's share: stored with a value part

describe('DynamoDB leftovers sweeper', () => {
  it("removes crashed writers' batch records, locks and parts; leaves live ones; readers never see them", async () => {
    const config = server.freshConfig();
    const node = (await openDynamoBackend(config, {
      credentials: DYNALITE_CREDENTIALS,
      partMinAgeMs: 60_000,
    })) as DynamoBackend;
    const put = (item: Record<string, unknown>) =>
      raw.send(new PutItemCommand({ TableName: config.table, Item: item as never }));
    const head = (key: string) => ({ pk: { S: 'meta/p/' }, sk: { B: bytes(key) } });
    await node.put('meta/p/e/k1', bytes('one'));
    await node.put('meta/p/e/k2', bytes('two'));
    await node.put('meta/p/e/k3', bytes('three'));
    await node.put('meta/p/e/big', big);

    // 1. A batch that locked k1 (a new value with a part) and died before committing; its lease is long over.
    await put({ pk: { S: '#txn:dead' }, sk: { B: Buffer.from([0]) }, st: { S: 'P' }, ex: { N: '1' } });
    await put({
      pk: { S: '#chunk:gdead' },
      sk: { B: Buffer.from([0, 1]) },
      c: { B: bytes('x') },
      t: { N: '1' },
    });
    await setAttributes(raw, config.table, head('meta/p/e/k1'), {
      lk: { S: 'dead' },
      nr: { N: '2' },
      nn: { N: '1' },
      nv: { B: bytes('pending') },
      ng: { S: 'gdead' },
    });
    // 2. A batch that committed a delete of k2 and died before installing it (readers already see it deleted).
    await put({ pk: { S: '#txn:done' }, sk: { B: Buffer.from([0]) }, st: { S: 'C' }, ex: { N: '1' } });
    await setAttributes(raw, config.table, head('meta/p/e/k2'), { lk: { S: 'done' }, nd: { BOOL: true } });
    // 3. A single-key writer that wrote a value part and died before any head pointed at it.
    await put({
      pk: { S: '#chunk:orphan' },
      sk: { B: Buffer.from([0, 1]) },
      c: { B: bytes('y') },
      t: { N: '1' },
    });
    // Live work the sweeper must leave: a batch within its lease, and a part written just now.
    await put({
      pk: { S: '#txn:live' },
      sk: { B: Buffer.from([0]) },
      st: { S: 'P' },
      ex: { N: String(Date.now() + 3_600_000) },
    });
    await setAttributes(raw, config.table, head('meta/p/e/k3'), { lk: { S: 'live' }, nd: { BOOL: true } });
    await put({
      pk: { S: '#chunk:young' },
      sk: { B: Buffer.from([0, 1]) },
      c: { B: bytes('z') },
      t: { N: String(Date.now()) },
    });

    const reads = async () => ({
      k1: (await node.get('meta/p/e/k1'))?.value.toString(),
      k2: await node.get('meta/p/e/k2'),
      k3: (await node.get('meta/p/e/k3'))?.value.toString(),
      big: (await node.get('meta/p/e/big'))?.value.equals(big),
      keys: (await node.list('meta/')).keys,
    });
    const before = await reads();
    expect(before).toEqual({
      k1: 'one',
      k2: undefined,
      k3: 'three',
      big: true,
      keys: ['meta/p/e/big', 'meta/p/e/k1', 'meta/p/e/k3'],
    });

    const swept = await node.sweepLeftovers();
    expect(swept).toMatchObject({ locks: 2, txns: 2 });
    expect(swept.parts).toBeGreaterThanOrEqual(1);

    const items = await scanAll(raw, config.table);
    const pks = items.map((i) => i.pk?.S);
    expect(pks).not.toContain('#txn:dead');
    expect(pks).not.toContain('#txn:done');
    expect(pks).not.toContain('#chunk:gdead');
    expect(pks).not.toContain('#chunk:orphan');
    expect(pks).toContain('#txn:live');
    expect(pks).toContain('#chunk:young');
    const locked = items.filter((i) => i.lk?.S).map((i) => Buffer.from(i.sk!.B!).toString());
    expect(locked).toEqual(['meta/p/e/k3']);
    // The big value's own part is referenced by its head and stays.
    expect((await node.get('meta/p/e/big'))?.value.equals(big)).toBe(true);
    expect(await reads()).toEqual(before);
    // A second pass finds nothing more to do.
    expect(await node.sweepLeftovers()).toEqual({ locks: 0, txns: 0, parts: 0 });
    await node.close();
  });
  it("never sweeps an older node's part (no write time) on first sight: it is stamped, and swept a whole age later", async () => {
    const config = server.freshConfig();
    let clock = Date.now();
    const node = (await openDynamoBackend(config, {
      credentials: DYNALITE_CREDENTIALS,
      partMinAgeMs: 60_000,
      now: () => clock,
    })) as DynamoBackend;
    // A node of the previous release wrote this part (no `t`) an instant ago and is about to point a head at it.
    const legacy = { pk: { S: '#chunk:legacy' }, sk: { B: Buffer.from([0, 1]) } };
    await raw.send(
      new PutItemCommand({ TableName: config.table, Item: { ...legacy, c: { B: bytes('mid-write') } } }),
    );
    expect(await node.sweepLeftovers()).toEqual({ locks: 0, txns: 0, parts: 0 });
    const after = (await scanAll(raw, config.table)).find((i) => i.pk?.S === '#chunk:legacy');
    expect(Buffer.from(after?.c?.B ?? []).toString()).toBe('mid-write');
    expect(after?.t?.N).toBe(String(clock));
    // Still unreferenced a whole age after the sweeper first saw it: the writer is gone, the part goes.
    clock += 60_000;
    expect(await node.sweepLeftovers()).toMatchObject({ parts: 1 });
    await node.close();
  });
});
