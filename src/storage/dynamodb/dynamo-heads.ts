import { setTimeout as sleep } from 'node:timers/promises';
import { hushError } from '../../core/errors/index.js';
import { Expression } from './dynamo-expression.js';
import type { DynamoIo } from './dynamo-io.js';
import { decodeHead, type Head, type Item, type KeyState, stateValues } from './dynamo-items.js';
import { partitionOf, sortKeyOf, txnPartition } from './dynamo-keys.js';
import { mapLimit } from './dynamo-parallel.js';
import { deleteChunks } from './dynamo-values.js';

/** A batch record's status: Pending, Committed, Aborted; undefined when the record is gone. */
export type TxnStatus = 'P' | 'C' | 'A' | undefined;

/** How long a multi-key batch may hold its locks before other writers may abort it (a crashed writer)... */
export const LOCK_LEASE_MS = 15_000;
/** ...plus this much per key, so a large batch on a slow link is not aborted while it is still locking. */
export const LOCK_LEASE_PER_KEY_MS = 50;
/** Longest a writer waits for another batch's live locks before giving up with HUSH_E_STORAGE. */
export const MAX_LOCK_WAIT_MS = 120_000;
/** Attributes of the pending slot, removed when a lock is released. */
export const PENDING_ATTRS = ['lk', 'nd', 'nr', 'nv', 'ng', 'nn'] as const;
const TXN_SK = Buffer.from([0]);

/** The head item key of a storage key. */
export function headKey(key: string) {
  return { pk: partitionOf(key), sk: sortKeyOf(key) };
}

/** The key of a batch record. */
export function txnKey(txid: string) {
  return { pk: txnPartition(txid), sk: TXN_SK };
}

/** Read a head item (strongly consistent). */
export async function readHead(io: DynamoIo, key: string): Promise<Head> {
  return decodeHead(key, await io.get(headKey(key), `read ${key}`));
}

/** Heads of many keys for writing: one BatchGetItem per 100 keys; only locked heads take the slow path. */
export async function readHeadsForWrite(
  io: DynamoIo,
  keys: readonly string[],
  now: () => number,
): Promise<Head[]> {
  if (keys.length === 1) return [await readHeadForWrite(io, keys[0]!, now)];
  const groups: string[][] = [];
  for (let i = 0; i < keys.length; i += 100) groups.push(keys.slice(i, i + 100));
  const items = new Map<string, Item>();
  for (const found of await mapLimit(groups, (g) => io.getMany(g.map(headKey), 'read keys'), 4)) {
    for (const item of found) items.set(Buffer.from(item.sk?.B ?? new Uint8Array()).toString('utf8'), item);
  }
  return mapLimit(keys, async (key) => {
    const head = decodeHead(key, items.get(key));
    return head.lock ? readHeadForWrite(io, key, now) : head;
  });
}

/** A batch record's status and lease expiry. */
export async function readTxn(io: DynamoIo, txid: string): Promise<{ status: TxnStatus; expires: number }> {
  const item = await io.get(txnKey(txid), 'read a batch record');
  const st = item?.st?.S;
  return {
    status: st === 'P' || st === 'C' || st === 'A' ? st : undefined,
    expires: Number(item?.ex?.N ?? 0),
  };
}

/**
 * The state a reader sees: the committed one, or the pending one once its batch record says committed. A record
 * gone while the lock remains is re-read first (the batch may have finished meanwhile), then counts as aborted:
 * a committed record is deleted only after every lock it held was released.
 */
export async function visibleState(io: DynamoIo, key: string): Promise<KeyState> {
  let missingFor: string | undefined;
  for (;;) {
    const head = await readHead(io, key);
    if (!head.lock) return head.committed;
    const { status } = await readTxn(io, head.lock.txid);
    if (status === 'C') return head.lock.next;
    if (status !== undefined || missingFor === head.lock.txid) return head.committed;
    missingFor = head.lock.txid;
  }
}

/** Install a locked head's pending state (its batch committed); false when someone else already did. */
export async function rollForward(io: DynamoIo, head: Head): Promise<boolean> {
  if (!head.lock) return false;
  const e = new Expression();
  const cond = `${e.name('lk')} = ${e.value({ S: head.lock.txid })}`;
  const next = head.lock.next;
  const done =
    next.rev === 0
      ? await io.delete(headKey(head.key), e, cond, `write ${head.key}`)
      : await io.update(
          headKey(head.key),
          e,
          e.update(stateValues(next, 'committed'), [...PENDING_ATTRS, 'v', 'g']),
          cond,
          `write ${head.key}`,
        );
  if (done) await deleteChunks(io, head.committed);
  return done;
}

/** Drop a locked head's pending state (its batch aborted); false when someone else already did. */
export async function rollBack(io: DynamoIo, head: Head): Promise<boolean> {
  if (!head.lock) return false;
  const e = new Expression();
  const cond = `${e.name('lk')} = ${e.value({ S: head.lock.txid })}`;
  const done =
    head.committed.rev === 0
      ? await io.delete(headKey(head.key), e, cond, `unlock ${head.key}`)
      : await io.update(headKey(head.key), e, e.update({}, PENDING_ATTRS), cond, `unlock ${head.key}`);
  if (done) await deleteChunks(io, head.lock.next);
  return done;
}

/** Flip a batch record's status from Pending; false when it was no longer pending. */
export async function settleTxn(io: DynamoIo, txid: string, status: 'C' | 'A'): Promise<boolean> {
  const e = new Expression();
  const update = e.update({ st: { S: status } }, []);
  return io.update(txnKey(txid), e, update, `${e.name('st')} = ${e.value({ S: 'P' })}`, 'settle a batch');
}

/**
 * Read a head for writing: a lock left by another batch is resolved first (rolled forward if that batch
 * committed, rolled back if it aborted or its lease expired); a live lock is waited out for up to the lease.
 */
export async function readHeadForWrite(io: DynamoIo, key: string, now: () => number): Promise<Head> {
  const started = now();
  for (let round = 0; ; round++) {
    const head = await readHead(io, key);
    if (!head.lock) return head;
    const txn = await readTxn(io, head.lock.txid);
    if (txn.status === 'C') await rollForward(io, head);
    else if (txn.status === 'P' && txn.expires > now()) {
      if (now() - started > MAX_LOCK_WAIT_MS) {
        throw hushError('STAYED_LOCKED_UNFINISHED_BATCH_MS', { key, value: now() - started });
      }
      await sleep(Math.min(200, 5 * 2 ** Math.min(round, 6)) * (0.5 + Math.random()));
    } else if (txn.status === 'P') await settleTxn(io, head.lock.txid, 'A');
    else await rollBack(io, head);
  }
}
