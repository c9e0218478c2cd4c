import type { StorageBackend, StorageEntry } from '../storage/backend.js';
import { RowDigest, type RowSummary } from './row-digest.js';
import { walkRows } from './walk-rows.js';

/** How a key differs between source and target. */
export type Difference = 'missing in target' | 'extra in target' | 'value differs';

/** The outcome of comparing two backends row by row. */
export interface Comparison {
  readonly source: RowSummary;
  readonly target: RowSummary;
  /** True when counts and checksums match (then `differences` is empty). */
  readonly equal: boolean;
  /** The first differing keys (at most `maxListed`), in key order. */
  readonly differences: readonly { readonly key: string; readonly difference: Difference }[];
  /** How many keys differ in all. */
  readonly differenceCount: number;
}

function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * Walk source and target in key order side by side (a merge join), hashing each side on its own and collecting
 * the keys that differ. `skip` is a target key left out of the comparison (the migration checkpoint).
 */
export async function compareBackends(
  source: Pick<StorageBackend, 'list' | 'get'>,
  target: Pick<StorageBackend, 'list' | 'get'>,
  options: { readonly skip?: string; readonly pageSize?: number; readonly maxListed?: number } = {},
): Promise<Comparison> {
  const maxListed = options.maxListed ?? 10;
  const src = walkRows(source, { ...(options.pageSize ? { pageSize: options.pageSize } : {}) });
  const dst = walkRows(target, {
    ...(options.pageSize ? { pageSize: options.pageSize } : {}),
    ...(options.skip ? { skip: options.skip } : {}),
  });
  const srcDigest = new RowDigest();
  const dstDigest = new RowDigest();
  const differences: { key: string; difference: Difference }[] = [];
  let differenceCount = 0;
  const note = (key: string, difference: Difference) => {
    differenceCount += 1;
    if (differences.length < maxListed) differences.push({ key, difference });
  };
  const next = async (it: AsyncGenerator<StorageEntry>, digest: RowDigest) => {
    const r = await it.next();
    if (r.done) return undefined;
    digest.add(r.value.key, r.value.value);
    return r.value;
  };
  let a = await next(src, srcDigest);
  let b = await next(dst, dstDigest);
  while (a || b) {
    const order = a && b ? compareKeys(a.key, b.key) : a ? -1 : 1;
    if (order === 0 && a && b) {
      if (!a.value.equals(b.value)) note(a.key, 'value differs');
      a = await next(src, srcDigest);
      b = await next(dst, dstDigest);
    } else if (order < 0 && a) {
      note(a.key, 'missing in target');
      a = await next(src, srcDigest);
    } else if (b) {
      note(b.key, 'extra in target');
      b = await next(dst, dstDigest);
    }
  }
  const s = srcDigest.result();
  const t = dstDigest.result();
  const equal = differenceCount === 0 && s.rows === t.rows && s.sha256 === t.sha256;
  return { source: s, target: t, equal, differences, differenceCount };
}
