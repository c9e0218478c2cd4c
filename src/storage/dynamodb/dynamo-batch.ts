import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { hushError } from '../../core/errors/index.js';
import type { BatchOp } from '../backend.js';
import { asBuffer } from '../backend-helpers.js';
import { checkRevision } from '../check-revision.js';
import { Expression } from './dynamo-expression.js';
import {
  headKey,
  LOCK_LEASE_MS,
  LOCK_LEASE_PER_KEY_MS,
  readHeadsForWrite,
  rollBack,
  rollForward,
  settleTxn,
  txnKey,
} from './dynamo-heads.js';
import type { DynamoIo } from './dynamo-io.js';
import { ABSENT, type Head, type KeyState, stateValues } from './dynamo-items.js';
import { mapLimit } from './dynamo-parallel.js';
import { writeSingle } from './dynamo-single.js';
import { deleteChunks, writeValue } from './dynamo-values.js';

/** Rounds of read-check-write before a batch whose keys keep changing under it gives up. */
const MAX_ROUNDS = 12;

/** The outcome of a batch, per op: a put's new revision, a delete's removed revision (0 = nothing was there). */
export type BatchResults = number[];

interface Plan {
  readonly results: BatchResults;
  /** Per key: the final revision (0 = absent) and value. */
  readonly finals: Map<string, { rev: number; value?: Buffer }>;
}

/** Run the ops against the read heads exactly as the memory backend does; throws HUSH_E_CAS_CONFLICT. */
function simulate(ops: readonly BatchOp[], heads: Map<string, Head>): Plan {
  const finals = new Map<string, { rev: number; value?: Buffer }>();
  const results: number[] = [];
  for (const op of ops) {
    const current = finals.get(op.key)?.rev ?? heads.get(op.key)?.committed.rev ?? 0;
    checkRevision(op, current);
    if (op.op === 'put') {
      finals.set(op.key, { rev: current + 1, value: Buffer.from(asBuffer(op.value)) });
      results.push(current + 1);
    } else {
      finals.set(op.key, { rev: 0 });
      results.push(current);
    }
  }
  return { results, finals };
}

/** The condition that a head is still in the state it was read in, and unlocked. */
function pinned(e: Expression, head: Head): string {
  const free = `attribute_not_exists(${e.name('lk')})`;
  const { rev, gen } = head.committed;
  if (rev === 0)
    return `(attribute_not_exists(${e.name('rv')}) OR ${e.name('rv')} = ${e.value({ N: '0' })}) AND ${free}`;
  return `${e.name('rv')} = ${e.value({ N: String(rev) })} AND ${e.name('g')} = ${e.value({ S: gen ?? '' })} AND ${free}`;
}

/**
 * Apply a batch atomically. Each round reads the heads, checks every expected revision like the memory backend,
 * then writes with conditions pinning what it read; a lost race starts a new round (which then reports a CAS
 * conflict with the revision found, or succeeds). One key: a single conditional write (overflow chunks of a large
 * value are written first under a fresh generation, so the head switches atomically). Several keys: a batch record
 * plus per-key locks holding the pending state; flipping the record to committed is the commit point, after
 * which anyone may finish it (see docs/storage.md, "DynamoDB").
 */
export async function applyBatch(
  io: DynamoIo,
  ops: readonly BatchOp[],
  now: () => number,
): Promise<BatchResults> {
  if (ops.length === 1) {
    const done = await writeSingle(io, ops[0]!);
    if (done !== undefined) return [done];
  }
  const keys = [...new Set(ops.map((o) => o.key))];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const read = await readHeadsForWrite(io, keys, now);
    const heads = new Map(read.map((h) => [h.key, h]));
    const plan = simulate(ops, heads);
    const applied =
      keys.length === 1
        ? await writeOne(io, heads.get(keys[0]!)!, plan)
        : await writeMany(io, heads, plan, now);
    if (applied) return plan.results;
    await sleep(Math.random() * 10 * (round + 1));
  }
  throw hushError('BATCH_OPERATIONS_LOST_RACE_OTHER', { length: ops.length, maxRounds: MAX_ROUNDS });
}

/** Final state of a key as a stored state (writing overflow chunks for a new value). */
async function finalState(io: DynamoIo, final: { rev: number; value?: Buffer }): Promise<KeyState> {
  return final.rev === 0 || !final.value ? ABSENT : writeValue(io, final.value, final.rev);
}

async function writeOne(io: DynamoIo, head: Head, plan: Plan): Promise<boolean> {
  const target = await finalState(io, plan.finals.get(head.key)!);
  const e = new Expression();
  const cond = pinned(e, head);
  let done: boolean;
  if (target.rev === 0) {
    done = head.exists ? await io.delete(headKey(head.key), e, cond, `delete ${head.key}`) : true;
  } else {
    const update = e.update(stateValues(target, 'committed'), ['v']);
    done = await io.update(headKey(head.key), e, update, cond, `write ${head.key}`);
  }
  await deleteChunks(io, done ? head.committed : target);
  return done;
}

async function writeMany(
  io: DynamoIo,
  heads: Map<string, Head>,
  plan: Plan,
  now: () => number,
): Promise<boolean> {
  const txid = randomBytes(12).toString('hex');
  const targets = new Map<string, KeyState>();
  for (const [key, final] of plan.finals) targets.set(key, await finalState(io, final));
  const lease = LOCK_LEASE_MS + LOCK_LEASE_PER_KEY_MS * heads.size;
  await io.put(txnKey(txid), { st: { S: 'P' }, ex: { N: String(now() + lease) } }, 'start a batch');
  const locked = await mapLimit([...heads.values()], (h) => lock(io, h, txid, targets.get(h.key)!));
  const lockedHeads = [...heads.values()]
    .filter((_, i) => locked[i])
    .map((h) => ({ ...h, lock: { txid, next: targets.get(h.key)! } }));
  const committed = locked.every(Boolean) && (await settleTxn(io, txid, 'C'));
  if (!committed) {
    await settleTxn(io, txid, 'A');
    await mapLimit(lockedHeads, (h) => rollBack(io, h));
    const unlocked = [...heads.values()].filter((_, i) => !locked[i]);
    await mapLimit(unlocked, (h) => deleteChunks(io, targets.get(h.key)!));
    await io.delete(txnKey(txid), undefined, undefined, 'finish a batch');
    return false;
  }
  // Committed: readers already see the new states. Installing them is tidying that anyone may finish, so a
  // failure from here on must not report the batch as failed.
  try {
    await mapLimit(lockedHeads, (h) => rollForward(io, h));
    await io.delete(txnKey(txid), undefined, undefined, 'finish a batch');
  } catch {
    // Left locked heads are rolled forward by the next writer or reader that meets them.
  }
  return true;
}

async function lock(io: DynamoIo, head: Head, txid: string, next: KeyState): Promise<boolean> {
  const e = new Expression();
  const cond = pinned(e, head);
  const set = { lk: { S: txid }, ...(next.rev === 0 ? { nd: { BOOL: true } } : stateValues(next, 'next')) };
  return io.update(headKey(head.key), e, e.update(set, []), cond, `lock ${head.key}`);
}
