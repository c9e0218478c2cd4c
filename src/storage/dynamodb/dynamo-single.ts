import type { BatchOp } from '../backend.js';
import { asBuffer } from '../backend-helpers.js';
import { Expression } from './dynamo-expression.js';
import { headKey } from './dynamo-heads.js';
import type { DynamoIo } from './dynamo-io.js';
import { decodeHead, stateValues } from './dynamo-items.js';
import { deleteChunks, writeValue } from './dynamo-values.js';

/** The condition of a one-key write: the key is unlocked and at the expected revision (if one was given). */
function expectation(e: Expression, expected: number | undefined): string {
  const free = `attribute_not_exists(${e.name('lk')})`;
  if (expected === undefined) return free;
  if (expected === 0) return `attribute_not_exists(${e.name('rv')}) AND ${free}`;
  return `${e.name('rv')} = ${e.value({ N: String(expected) })} AND ${free}`;
}

/**
 * A single put or delete in one request: a conditional write that returns the old item (for the new revision and
 * for the old value's parts to remove). Undefined when the condition failed (a CAS mismatch or a lock): the
 * caller then takes the general path, which reads, reports the revision found, or resolves the lock.
 */
export async function writeSingle(io: DynamoIo, op: BatchOp): Promise<number | undefined> {
  const e = new Expression();
  const cond = expectation(e, op.expectedRevision);
  if (op.op === 'delete') {
    const out = await io.writeReturningOld('delete', headKey(op.key), e, '', cond, `delete ${op.key}`);
    if (!out.applied) return undefined;
    const old = decodeHead(op.key, out.old).committed;
    await deleteChunks(io, old);
    return old.rev;
  }
  const target = await writeValue(io, Buffer.from(asBuffer(op.value)), 0);
  const { rv: _rv, ...attrs } = stateValues(target, 'committed');
  const rv = e.name('rv');
  const bump =
    op.expectedRevision === undefined
      ? `${rv} = if_not_exists(${rv}, ${e.value({ N: '0' })}) + ${e.value({ N: '1' })}`
      : `${rv} = ${e.value({ N: String(op.expectedRevision + 1) })}`;
  const update = e.update(attrs, ['v'], [bump]);
  const out = await io.writeReturningOld('update', headKey(op.key), e, update, cond, `write ${op.key}`);
  if (!out.applied) {
    await deleteChunks(io, target);
    return undefined;
  }
  const old = decodeHead(op.key, out.old).committed;
  await deleteChunks(io, old);
  return old.rev + 1;
}
