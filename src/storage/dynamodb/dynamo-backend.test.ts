import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DYNALITE_CREDENTIALS, startTestDynamo, type TestDynamo } from '../../../test/support/dynalite.js';
import { rawClient, scanAll, setAttributes } from '../../../test/support/dynamo-test-support.js';
import { expectHushErrorAsync as expectHushError } from '../../../test/support/expect-hush-error.js';
import type { StorageBackend } from '../backend.js';
import { type DynamoConfigInput, openDynamoBackend } from './index.js';

let server: TestDynamo;
let raw: DynamoDBClient;
const opened: StorageBackend[] = [];
beforeAll(async () => {
  server = await startTestDynamo();
  raw = rawClient(server);
});
afterAll(async () => {
  raw.destroy();
  await server.stop();
});
afterEach(async () => {
  for (const b of opened.splice(0)) await b.close();
});

async function open(config: DynamoConfigInput): Promise<StorageBackend> {
  const b = await openDynamoBackend(config, { credentials: DYNALITE_CREDENTIALS });
  opened.push(b);
  return b;
}

/** Two backends (two SDK clients, as two nodes would have) on one fresh table. */
async function twoNodes() {
  const config = server.freshConfig();
  return { config, a: await open(config), b: await open({ ...config, createTable: false }) };
}

const bytes = (s: string) => Buffer.from(s);

function bigValue(size: number, seed: number): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = (i * seed + (i >> 9)) & 0xff;
  return b;
}

describe('DynamoDB backend: concurrency across clients', () => {
  it('lets exactly one of two clients win a check-and-set race, many times over', async () => {
    const { a, b } = await twoNodes();
    await a.put('meta/p/e/k', bytes('0'));
    for (let rev = 1; rev <= 10; rev++) {
      const results = await Promise.allSettled([
        a.put('meta/p/e/k', bytes(`a${rev}`), rev),
        b.put('meta/p/e/k', bytes(`b${rev}`), rev),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toEqual([
        { status: 'fulfilled', value: rev + 1 },
      ]);
      const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(lost.reason).toMatchObject({ code: 'HUSH_E_CAS_CONFLICT' });
    }
    expect((await b.get('meta/p/e/k'))?.revision).toBe(11);
  });

  it('lets exactly one of two overlapping multi-key batches win, and leaves no lock behind', async () => {
    const { config, a, b } = await twoNodes();
    await a.batch([
      { op: 'put', key: 'meta/p/e/x', value: bytes('x') },
      { op: 'put', key: 'data/p/e/x#1', value: bytes('x1') },
    ]);
    for (let round = 0; round < 5; round++) {
      const batchOf = (who: string, b2: StorageBackend) =>
        b2.batch([
          { op: 'put', key: 'meta/p/e/x', value: bytes(who), expectedRevision: round + 1 },
          { op: 'put', key: `data/p/e/x#${round + 2}`, value: bytes(who), expectedRevision: 0 },
          { op: 'put', key: `sys/token/${who}${round}`, value: bytes(who) },
        ]);
      const results = await Promise.allSettled([batchOf('a', a), batchOf('b', b)]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const winner = results[0]!.status === 'fulfilled' ? 'a' : 'b';
      const loser = winner === 'a' ? 'b' : 'a';
      expect((await b.get(`data/p/e/x#${round + 2}`))?.value).toEqual(bytes(winner));
      expect(await a.get(`sys/token/${loser}${round}`)).toBeUndefined();
    }
    const items = await scanAll(raw, config.table);
    expect(items.filter((i) => i.lk !== undefined || i.st !== undefined)).toEqual([]);
  });
});

describe('DynamoDB backend: atomicity under contention', () => {
  it('keeps keys written together equal while two clients race unconditional batches and a reader polls', async () => {
    const { a, b } = await twoNodes();
    let done = false;
    const seen: number[] = [];
    const reader = (async () => {
      while (!done) seen.push((await b.get('meta/p/e/x'))?.revision ?? 0);
    })();
    const writer = async (who: string, backend: StorageBackend) => {
      for (let i = 0; i < 8; i++) {
        await backend.batch([
          { op: 'put', key: 'meta/p/e/x', value: bytes(`${who}${i}`) },
          { op: 'put', key: 'data/p/e/x#1', value: bytes(`${who}${i}`) },
          { op: 'put', key: `sys/token/${who}${i}`, value: bytes('t') },
        ]);
      }
    };
    await Promise.all([writer('a', a), writer('b', b)]);
    done = true;
    await reader;
    const x = await a.get('meta/p/e/x');
    const y = await a.get('data/p/e/x#1');
    expect(x?.revision).toBe(16);
    expect(y?.revision).toBe(16);
    expect(x?.value).toEqual(y?.value);
    expect((await a.list('sys/token/')).keys).toHaveLength(16);
    // Reads are linearizable: a reader never sees a revision go back.
    expect(seen.every((r, i) => i === 0 || r >= seen[i - 1]!)).toBe(true);
  });
});

describe('DynamoDB backend: listings that span partitions', () => {
  it('merges #root keys and every partition in byte order, page by page, from any cursor', async () => {
    const { a, b } = await twoNodes();
    const keys = [
      'a/b',
      'a/b/c',
      'a/b/d/e',
      'a/b0',
      'a/bz/q/r',
      'a/c',
      'a/c/',
      'a/c/x',
      'a/é/1/2',
      'b/a/x',
      'a',
    ];
    await a.batch(keys.map((key) => ({ op: 'put' as const, key, value: bytes(key) })));
    const sorted = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    for (const prefix of ['', 'a', 'a/', 'a/b', 'a/c/', 'a/é']) {
      const expected = sorted.filter((k) => k.startsWith(prefix));
      expect((await b.list(prefix)).keys).toEqual(expected);
      const paged: string[] = [];
      let after: string | undefined;
      do {
        const page = await b.list(prefix, { limit: 2, ...(after === undefined ? {} : { after }) });
        paged.push(...page.keys);
        after = page.next;
      } while (after !== undefined);
      expect(paged).toEqual(expected);
      for (const cursor of ['a/b/c', 'a/b/z', 'a/bz', 'a/c/']) {
        expect((await b.list(prefix, { after: cursor })).keys).toEqual(
          expected.filter((k) => Buffer.compare(Buffer.from(k), Buffer.from(cursor)) > 0),
        );
      }
    }
    // A partition emptied by deletes stays registered and simply lists nothing.
    await a.batch([
      { op: 'delete', key: 'a/b/c' },
      { op: 'delete', key: 'a/b/d/e' },
    ]);
    expect((await b.list('a/b')).keys).toEqual(['a/b', 'a/b0', 'a/bz/q/r']);
  });
});

describe('DynamoDB backend: large values and large batches', () => {
  it('stores values over the 400 KB item limit in parts and removes parts that are replaced', async () => {
    const { config, a, b } = await twoNodes();
    const big = bigValue(3 * 1024 * 1024 + 17, 7);
    expect(await a.put('data/p/e/big#1', big)).toBe(1);
    expect((await b.get('data/p/e/big#1'))?.value.equals(big)).toBe(true);
    const chunks = () =>
      scanAll(raw, config.table).then((all) => all.filter((i) => i.pk?.S?.startsWith('#chunk:')));
    expect((await chunks()).length).toBe(8); // 150,000 bytes in the head, then 380,000 per part
    await b.put('data/p/e/big#1', bytes('small'), 1);
    expect(await chunks()).toEqual([]);
    await a.batch([
      { op: 'put', key: 'data/p/e/big#1', value: big, expectedRevision: 2 },
      { op: 'put', key: 'meta/p/e/big', value: big },
    ]);
    expect((await b.get('meta/p/e/big'))?.value.equals(big)).toBe(true);
    await a.batch([
      { op: 'delete', key: 'data/p/e/big#1' },
      { op: 'delete', key: 'meta/p/e/big' },
    ]);
    expect(await chunks()).toEqual([]);
  });

  it('never returns a torn large value while another client replaces it', async () => {
    const { a, b } = await twoNodes();
    const values = [bigValue(900_000, 3), bigValue(900_000, 5)];
    await a.put('data/p/e/v#1', values[0]!);
    let stop = false;
    const writer = (async () => {
      for (let i = 1; i < 8; i++) await a.put('data/p/e/v#1', values[i % 2]!);
      stop = true;
    })();
    let reads = 0;
    while (!stop) {
      const got = (await b.get('data/p/e/v#1'))!.value;
      expect(got.equals(values[0]!) || got.equals(values[1]!)).toBe(true);
      reads += 1;
    }
    await writer;
    expect(reads).toBeGreaterThan(0);
  });

  it('applies a batch far over DynamoDB transaction limits (300 keys, 3 MiB) atomically', async () => {
    const { config, a, b } = await twoNodes();
    const ops = Array.from({ length: 300 }, (_, i) => ({
      op: 'put' as const,
      key: `data/p${i % 3}/e/s${String(i).padStart(3, '0')}#1`,
      value: bigValue(10_000, i + 1),
    }));
    ops.push({ op: 'put', key: 'meta/p0/e/huge', value: bigValue(3 * 1024 * 1024, 11) });
    await a.batch(ops);
    expect((await b.list('data/p1/e/')).keys).toHaveLength(100);
    expect((await b.list('data/')).keys).toHaveLength(300);
    expect((await b.get('meta/p0/e/huge'))?.value.length).toBe(3 * 1024 * 1024);
    // A failing check at the end of a large batch changes nothing and leaves no placeholder or lock behind.
    const before = (await scanAll(raw, config.table)).length;
    await expectHushError(
      a.batch([
        ...ops.map((o) => ({ op: 'delete' as const, key: o.key })),
        { op: 'put', key: 'meta/p0/e/new', value: bytes('n'), expectedRevision: 5 },
      ]),
      'HUSH_E_CAS_CONFLICT',
    );
    expect((await b.list('data/')).keys).toHaveLength(300);
    expect(await b.get('meta/p0/e/new')).toBeUndefined();
    expect((await scanAll(raw, config.table)).length).toBe(before);
  });
});

describe('DynamoDB backend: recovery from a writer that died mid-batch', () => {
  it('rolls back an expired pending batch and rolls forward a committed one', async () => {
    const { config, a, b } = await twoNodes();
    await a.put('meta/p/e/k', bytes('committed'));
    const key = { pk: { S: 'meta/p/' }, sk: { B: bytes('meta/p/e/k') } };
    // A batch that locked the key, then died before committing (its lease is long over).
    await raw.send(
      new (await import('@aws-sdk/client-dynamodb')).PutItemCommand({
        TableName: config.table,
        Item: { pk: { S: '#txn:dead' }, sk: { B: Buffer.from([0]) }, st: { S: 'P' }, ex: { N: '1' } },
      }),
    );
    await setAttributes(raw, config.table, key, {
      lk: { S: 'dead' },
      nr: { N: '2' },
      nn: { N: '0' },
      nv: { B: bytes('pending') },
      ng: { S: 'g2' },
    });
    expect((await b.get('meta/p/e/k'))?.value).toEqual(bytes('committed'));
    expect((await b.list('meta/p/')).keys).toEqual(['meta/p/e/k']);
    expect(await b.put('meta/p/e/k', bytes('after'), 1)).toBe(2);
    expect((await a.get('meta/p/e/k'))?.value).toEqual(bytes('after'));
    // A batch that committed, then died before installing its new state: readers already see it.
    await raw.send(
      new (await import('@aws-sdk/client-dynamodb')).PutItemCommand({
        TableName: config.table,
        Item: { pk: { S: '#txn:done' }, sk: { B: Buffer.from([0]) }, st: { S: 'C' }, ex: { N: '1' } },
      }),
    );
    await setAttributes(raw, config.table, key, { lk: { S: 'done' }, nd: { BOOL: true } });
    expect(await b.get('meta/p/e/k')).toBeUndefined();
    expect((await b.list('meta/')).keys).toEqual([]);
    expect(await a.put('meta/p/e/k', bytes('again'), 0)).toBe(1);
  });
});

describe('DynamoDB backend: a live batch', () => {
  it('does not block readers, and is aborted by a writer once its lease has run out', async () => {
    const { config, a } = await twoNodes();
    await a.put('meta/p/e/k', bytes('committed'));
    const { PutItemCommand } = await import('@aws-sdk/client-dynamodb');
    await raw.send(
      new PutItemCommand({
        TableName: config.table,
        Item: {
          pk: { S: '#txn:live' },
          sk: { B: Buffer.from([0]) },
          st: { S: 'P' },
          ex: { N: String(Date.now() + 60_000) },
        },
      }),
    );
    await setAttributes(
      raw,
      config.table,
      { pk: { S: 'meta/p/' }, sk: { B: bytes('meta/p/e/k') } },
      {
        lk: { S: 'live' },
        nd: { BOOL: true },
      },
    );
    // Reads do not wait for the live lease (60 s away, the test's timeout): they see the committed value.
    expect((await a.get('meta/p/e/k'))?.value).toEqual(bytes('committed'));
    expect((await a.list('meta/p/')).keys).toEqual(['meta/p/e/k']);
    // A node whose clock is past the lease aborts the batch and writes; the record now says aborted.
    const later = await openDynamoBackend(
      { ...config, createTable: false },
      { credentials: DYNALITE_CREDENTIALS, now: () => Date.now() + 120_000 },
    );
    opened.push(later);
    expect(await later.put('meta/p/e/k', bytes('next'), 1)).toBe(2);
    expect((await a.get('meta/p/e/k'))?.value).toEqual(bytes('next'));
    const items = await scanAll(raw, config.table);
    expect(items.find((i) => i.pk?.S === '#txn:live')?.st).toEqual({ S: 'A' });
  });
});

describe('DynamoDB backend: table and connection errors', () => {
  it('refuses a missing table with the command that creates it', async () => {
    const config = { ...server.freshConfig(), createTable: false };
    const err = await expectHushError(open(config), 'HUSH_E_STORAGE');
    expect(err.message).toContain(`table ${config.table} in us-east-1`);
    expect(err.message).toContain('aws dynamodb create-table');
    expect(err.message).toContain('createTable: true');
  });

  it('refuses a table with another key schema', async () => {
    const table = server.freshConfig().table;
    const { CreateTableCommand } = await import('@aws-sdk/client-dynamodb');
    await raw.send(
      new CreateTableCommand({
        TableName: table,
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const err = await expectHushError(
      open({ ...server.freshConfig(), table, createTable: false }),
      'HUSH_E_STORAGE',
    );
    expect(err.message).toContain('key schema id:HASH');
  });

  it('fails fast with HUSH_E_STORAGE, without credentials in the message, once the server is gone', async () => {
    const own = await startTestDynamo();
    const b = await openDynamoBackend(
      { ...own.freshConfig(), maxAttempts: 2, requestTimeoutMs: 500 },
      { credentials: DYNALITE_CREDENTIALS },
    );
    await b.put('sys/seal', bytes('x'));
    await own.stop();
    // One call at a time: a rejection must not sit unobserved while another call is awaited. Each call must end
    // after its two attempts (the test's timeout is the bound), which the message names.
    for (const call of [() => b.get('sys/seal'), () => b.put('sys/seal', bytes('y')), () => b.list('')]) {
      const err = await expectHushError(call(), 'HUSH_E_STORAGE');
      expect(err.message).toMatch(/unreachable \((ECONNREFUSED|ECONNRESET|TimeoutError)\) after 2 attempts/);
      expect(err.message).not.toContain(DYNALITE_CREDENTIALS.secretAccessKey);
      expect(err.message).not.toContain(DYNALITE_CREDENTIALS.accessKeyId);
    }
    await b.close();
  });

  it('times out against a server that accepts connections and never answers', async () => {
    const { createServer } = await import('node:net');
    const sockets: import('node:net').Socket[] = [];
    const silent = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as import('node:net').AddressInfo).port;
    // The server never answers: only the request timeout can end the open (the test's timeout is the bound).
    const err = await expectHushError(
      openDynamoBackend(
        {
          kind: 'dynamodb',
          table: 'hush',
          region: 'us-east-1',
          endpoint: `http://127.0.0.1:${port}`,
          maxAttempts: 2,
          requestTimeoutMs: 300,
        },
        { credentials: DYNALITE_CREDENTIALS },
      ),
      'HUSH_E_STORAGE',
    );
    expect(err.message).toContain('unreachable');
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => silent.close(() => r()));
  });

  it('rejects an invalid config with HUSH_E_CONFIG before touching the network', async () => {
    for (const bad of [
      { kind: 'dynamodb', table: 'x', region: 'us-east-1' },
      { kind: 'dynamodb', table: 'hush', region: 'us-east-1', accessKeyId: 'AKIA...' },
      { kind: 'dynamodb', table: 'hush', region: 'us-east-1', endpoint: 'ftp://x' },
    ]) {
      const err = await expectHushError(open(bad as DynamoConfigInput), 'HUSH_E_CONFIG');
      expect(err.message).not.toContain('AKIA');
    }
  });
});
