import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DYNALITE_CREDENTIALS, startTestDynamo, type TestDynamo } from '../../../test/support/dynalite.js';
import type { BatchOp, StorageBackend } from '../backend.js';
import { MemoryBackend } from '../memory/memory-backend.js';
import { openDynamoBackend } from './index.js';

let server: TestDynamo;
beforeAll(async () => {
  server = await startTestDynamo();
});
afterAll(() => server.stop());

// Keys in #root and in three partitions; values now and then over the head part, so overflow parts churn too.
const key = fc.constantFrom('a', 'sys/seal', 'meta/p/e/x', 'meta/p/e/y', 'data/p/e/x#1', 'data/q/e/z#2');
const value = fc.oneof(
  { weight: 5, arbitrary: fc.uint8Array({ maxLength: 8 }) },
  // A size stands for a large value, built in `materialize` (so a counterexample prints short).
  { weight: 1, arbitrary: fc.integer({ min: 150_001, max: 420_000 }) },
);
// Mostly unconditional, so that batches succeed often; the rest check revisions 0..2 (some match, some do not).
const expected = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 2 }) },
);
type ModelOp =
  | { op: 'put'; key: string; value: Uint8Array | number; expectedRevision: number | undefined }
  | { op: 'delete'; key: string; expectedRevision: number | undefined };
const op: fc.Arbitrary<ModelOp> = fc.oneof(
  fc.record({ op: fc.constant('put' as const), key, value, expectedRevision: expected }),
  fc.record({ op: fc.constant('delete' as const), key, expectedRevision: expected }),
);

function materialize(ops: readonly ModelOp[]): BatchOp[] {
  return ops.map((o) =>
    o.op === 'put' && typeof o.value === 'number'
      ? { ...o, value: new Uint8Array(o.value).fill(o.value & 0xff) }
      : o,
  ) as BatchOp[];
}

async function outcome(b: StorageBackend, ops: readonly BatchOp[]): Promise<string> {
  try {
    await b.batch(ops);
    return 'ok';
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
}

async function snapshot(b: StorageBackend) {
  const keys = (await b.list('')).keys;
  return Promise.all(
    keys.map(async (k) => {
      const e = (await b.get(k))!;
      return [k, e.revision, e.value.length, e.value[0]] as const;
    }),
  );
}

describe('DynamoDB backend against the memory model', () => {
  it('agrees with the memory backend on every batch outcome and on the resulting state', async () => {
    let applied = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(op, { minLength: 1, maxLength: 4 }), { maxLength: 6 }),
        async (batches) => {
          const model = new MemoryBackend();
          const real = await openDynamoBackend(server.freshConfig(), { credentials: DYNALITE_CREDENTIALS });
          try {
            for (const ops of batches.map(materialize)) {
              const result = await outcome(model, ops);
              expect(await outcome(real, ops)).toBe(result);
              applied += result === 'ok' && ops.length > 1 ? 1 : 0;
            }
            expect(await snapshot(real)).toEqual(await snapshot(model));
          } finally {
            await real.close();
          }
        },
      ),
      { numRuns: 20 },
    );
    expect(applied).toBeGreaterThan(5); // multi-key batches that committed: the protocol was exercised
  });
});
