import type { SweepResult } from '../lease-store.js';
import { Expression } from './dynamo-expression.js';
import { readHead, readTxn, rollBack, rollForward, settleTxn, txnKey } from './dynamo-heads.js';
import type { DynamoIo, ItemKey } from './dynamo-io.js';
import type { Item } from './dynamo-items.js';

/** Unreferenced value parts younger than this may belong to a write in flight; default 10 minutes (clock skew). */
export const DEFAULT_PART_MIN_AGE_MS = 10 * 60_000;

/** Options of {@link sweepDynamoLeftovers}. */
export interface SweepOptions {
  readonly now: () => number;
  /** Parts written less than this long ago are left alone. */
  readonly partMinAgeMs?: number;
}

interface Seen {
  readonly txns: Set<string>;
  readonly lockedHeads: string[];
  /** Generations a head refers to (committed or pending). */
  readonly referenced: Set<string>;
  /** Value parts per generation, with the newest part's write time and the parts that carry none. */
  readonly parts: Map<string, { keys: ItemKey[]; newest: number; unstamped: ItemKey[] }>;
}

const isBookkeeping = (pk: string) => pk.startsWith('#') && pk !== '#root';

/** One pass over the whole table, sorting what it finds. */
async function scanTable(io: DynamoIo): Promise<Seen> {
  const seen: Seen = { txns: new Set(), lockedHeads: [], referenced: new Set(), parts: new Map() };
  let start: Item | undefined;
  do {
    const page = await io.scan(start, 'sweep leftovers');
    for (const item of page.items) {
      const pk = item.pk?.S ?? '';
      const sk = Buffer.from(item.sk?.B ?? new Uint8Array());
      if (pk.startsWith('#txn:')) seen.txns.add(pk.slice('#txn:'.length));
      else if (pk.startsWith('#chunk:')) {
        const gen = pk.slice('#chunk:'.length);
        const entry = seen.parts.get(gen) ?? { keys: [], newest: 0, unstamped: [] };
        entry.keys.push({ pk, sk });
        // A node of an earlier release writes parts without `t`: its age is unknown, not "written at 0".
        if (item.t?.N === undefined) entry.unstamped.push({ pk, sk });
        else entry.newest = Math.max(entry.newest, Number(item.t.N));
        seen.parts.set(gen, entry);
      } else if (!isBookkeeping(pk)) {
        if (item.lk?.S) seen.lockedHeads.push(sk.toString('utf8'));
        for (const g of [item.g?.S, item.ng?.S]) if (g) seen.referenced.add(g);
      }
    }
    start = page.last;
  } while (start);
  return seen;
}

/**
 * Remove what crashed writers of the DynamoDB protocol (dynamo-batch.ts) leave behind: locks of batches that
 * committed, aborted or outlived their lease (rolled forward or back, exactly as the next writer would), batch
 * records (`#txn:`) once no head refers to them, and value parts (`#chunk:`) no head refers to, once older than
 * `partMinAgeMs`. Readers never see any of it: they resolve a lock through its batch record, and reach parts only
 * through a head. Leader-only (one sweeper per cluster), and safe to repeat.
 */
export async function sweepDynamoLeftovers(io: DynamoIo, options: SweepOptions): Promise<SweepResult> {
  const { now } = options;
  const first = await scanTable(io);
  let locks = 0;
  for (const key of first.lockedHeads) {
    const head = await readHead(io, key);
    if (!head.lock) continue;
    let txn = await readTxn(io, head.lock.txid);
    if (txn.status === 'P' && txn.expires > now()) continue; // a live batch: its writer finishes it
    if (txn.status === 'P') {
      await settleTxn(io, head.lock.txid, 'A');
      txn = await readTxn(io, head.lock.txid);
    }
    if (txn.status === 'C' ? await rollForward(io, head) : await rollBack(io, head)) locks += 1;
  }

  let txns = 0;
  const finished: string[] = [];
  for (const txid of first.txns) {
    const txn = await readTxn(io, txid);
    if (txn.status === 'P' && txn.expires > now()) continue;
    if (txn.status === 'P') await settleTxn(io, txid, 'A');
    finished.push(txid);
  }
  // Read after the records were seen finished: no new lock can name them, so the locks left are all there are.
  const second = await scanTable(io);
  const stillLocked = new Set<string>();
  for (const key of second.lockedHeads) {
    const head = await readHead(io, key);
    if (head.lock) stillLocked.add(head.lock.txid);
  }
  for (const txid of finished) {
    if (stillLocked.has(txid)) continue;
    const e = new Expression();
    // Never a pending record: only one that is settled (its writer can no longer need it).
    const settled = `${e.name('st')} <> ${e.value({ S: 'P' })}`;
    if (await io.delete(txnKey(txid), e, settled, 'remove a batch record')) txns += 1;
  }

  let parts = 0;
  const minAge = options.partMinAgeMs ?? DEFAULT_PART_MIN_AGE_MS;
  for (const [gen, entry] of first.parts) {
    if (first.referenced.has(gen) || second.referenced.has(gen)) continue;
    if (entry.unstamped.length > 0) {
      // Its writer may be mid-write: stamp the first sighting as its write time, so it ages from now.
      await stampParts(io, entry.unstamped, now());
      continue;
    }
    if (now() - entry.newest < minAge) continue;
    for (const key of entry.keys) {
      if (await io.delete(key, undefined, undefined, 'remove a value part')) parts += 1;
    }
  }
  return { locks, txns, parts };
}

/** Give parts without a write time the time `at` (only parts that still exist and still carry none). */
async function stampParts(io: DynamoIo, keys: readonly ItemKey[], at: number): Promise<void> {
  for (const key of keys) {
    const e = new Expression();
    const update = e.update({ t: { N: String(at) } }, []);
    const unstamped = `attribute_exists(${e.name('c')}) AND attribute_not_exists(${e.name('t')})`;
    await io.update(key, e, update, unstamped, 'stamp a value part');
  }
}
