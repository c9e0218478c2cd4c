import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/** A DynamoDB item as the low-level client returns it. */
export type Item = Record<string, AttributeValue>;

/** Bytes of a value kept in the head item (which may hold a committed and a pending part at once). */
export const HEAD_PART_BYTES = 150_000;
/** Bytes per overflow chunk item (DynamoDB's item limit is 400 KB including names and keys). */
export const CHUNK_BYTES = 380_000;

/**
 * One state of a key: revision 0 means absent. A value lives in `first` (head item) plus `chunks` overflow items
 * in the partition of its generation `gen`, a random id minted per write so readers can tell a value replaced
 * under them (its chunks vanish) and check-and-set pins cannot suffer ABA after delete and re-create.
 */
export interface KeyState {
  readonly rev: number;
  readonly first?: Buffer;
  readonly gen?: string;
  readonly chunks: number;
}

/** A head item: the committed state and, while a multi-key batch holds it, the lock and the pending state. */
export interface Head {
  readonly key: string;
  readonly exists: boolean;
  readonly committed: KeyState;
  readonly lock?: { readonly txid: string; readonly next: KeyState };
}

export const ABSENT: KeyState = { rev: 0, chunks: 0 };

const num = (v: AttributeValue | undefined): number => (v?.N === undefined ? 0 : Number(v.N));
const bin = (v: AttributeValue | undefined): Buffer | undefined =>
  v?.B === undefined ? undefined : Buffer.from(v.B);
const str = (v: AttributeValue | undefined): string | undefined => v?.S;

/** Decode a head item read with GetItem (undefined = no item). */
export function decodeHead(key: string, item: Item | undefined): Head {
  if (!item) return { key, exists: false, committed: ABSENT };
  const committed = state(num(item.rv), bin(item.v), str(item.g), num(item.n));
  const txid = str(item.lk);
  if (txid === undefined) return { key, exists: true, committed };
  const next = item.nd?.BOOL ? ABSENT : state(num(item.nr), bin(item.nv), str(item.ng), num(item.nn));
  return { key, exists: true, committed, lock: { txid, next } };
}

function state(rev: number, first: Buffer | undefined, gen: string | undefined, chunks: number): KeyState {
  return { rev, chunks, ...(first ? { first } : {}), ...(gen ? { gen } : {}) };
}

/** A value split for storage: the head part and the overflow chunks. */
export function splitValue(value: Buffer): { first: Buffer; rest: Buffer[] } {
  const first = value.subarray(0, HEAD_PART_BYTES);
  const rest: Buffer[] = [];
  for (let at = HEAD_PART_BYTES; at < value.length; at += CHUNK_BYTES)
    rest.push(value.subarray(at, at + CHUNK_BYTES));
  return { first, rest };
}

/** Attribute values for a state in the committed (`rv v g n`) or pending (`nr nv ng nn`) slots. */
export function stateValues(s: KeyState, slot: 'committed' | 'next'): Record<string, AttributeValue> {
  const [r, v, g, n] = slot === 'committed' ? ['rv', 'v', 'g', 'n'] : ['nr', 'nv', 'ng', 'nn'];
  const out: Record<string, AttributeValue> = { [r]: { N: String(s.rev) }, [n]: { N: String(s.chunks) } };
  // Empty binary attributes are refused by some DynamoDB implementations: an empty value is an absent `v`.
  if (s.first && s.first.length > 0) out[v] = { B: s.first };
  if (s.gen) out[g] = { S: s.gen };
  return out;
}
