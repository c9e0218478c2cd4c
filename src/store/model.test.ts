import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeTestStore } from '../../test/support/test-store.js';
import { isHushError } from '../core/errors/hush-error.js';

type Op =
  | { kind: 'put'; path: string; value: string }
  | { kind: 'delete' | 'undelete' | 'destroy'; path: string; version: number }
  | { kind: 'rotate' }
  | { kind: 'rewrap' };

const path = fc.constantFrom('p/e/a', 'p/e/b', 'p/e/d/c');
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('put' as const), path, value: fc.string({ maxLength: 12 }) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constantFrom('delete' as const, 'undelete' as const, 'destroy' as const),
      path,
      version: fc.integer({ min: 1, max: 6 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'rotate' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'rewrap' as const }) },
);

/** The store's observable behaviour matches a plain in-memory model, whatever the sequence of operations. */
describe('store vs model (property)', () => {
  it('agrees on every version state and value', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 25 }), async (ops) => {
        const t = await makeTestStore({ maxVersions: 4 });
        try {
          await t.store.init();
          const model = new Map<string, { value: string; state: 'active' | 'deleted' | 'destroyed' }[]>();
          let rotated = false;
          for (const o of ops) {
            if (o.kind === 'put') {
              const versions = model.get(o.path) ?? [];
              versions.push({ value: o.value, state: 'active' });
              model.set(o.path, versions);
              await t.store.put(o.path, o.value, { actor: 'prop' });
            } else if (o.kind === 'rotate') {
              if (!model.size) continue;
              await t.store.rotateKek('p/e');
              rotated = true;
            } else if (o.kind === 'rewrap') {
              await t.store.rewrap('p/e', { prune: rotated });
            } else {
              const entry = model.get(o.path)?.[o.version - 1];
              const kept = (model.get(o.path)?.length ?? 0) - o.version < 4;
              const run = t.store[o.kind](o.path, { actor: 'prop', versions: [o.version] });
              if (!entry || !kept) {
                await expect(run).rejects.toMatchObject({ code: 'HUSH_E_NOT_FOUND' });
                continue;
              }
              if (o.kind === 'undelete' && entry.state === 'destroyed') {
                await expect(run).rejects.toMatchObject({ code: 'HUSH_E_DESTROYED' });
                continue;
              }
              await run;
              if (o.kind === 'delete' && entry.state === 'active') entry.state = 'deleted';
              if (o.kind === 'undelete' && entry.state === 'deleted') entry.state = 'active';
              if (o.kind === 'destroy') entry.state = 'destroyed';
            }
          }
          for (const [p, versions] of model) {
            for (const [i, v] of versions.entries()) {
              const version = i + 1;
              const kept = versions.length - version < 4;
              try {
                const read = await t.store.get(p, { version });
                expect(kept && v.state === 'active').toBe(true);
                expect(read.value).toBe(v.value);
              } catch (err) {
                if (!isHushError(err)) throw err;
                const expected = !kept
                  ? 'HUSH_E_NOT_FOUND'
                  : v.state === 'deleted'
                    ? 'HUSH_E_DELETED'
                    : 'HUSH_E_DESTROYED';
                expect(err.code).toBe(expected);
              }
            }
          }
        } finally {
          await t.cleanup();
        }
      }),
      { numRuns: 40 },
    );
  });
});
