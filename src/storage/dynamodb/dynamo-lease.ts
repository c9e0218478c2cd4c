import type { LeaseRecord, LeaseStore } from '../lease-store.js';
import { Expression } from './dynamo-expression.js';
import type { DynamoIo } from './dynamo-io.js';

/** Partition of lease records (never ends in `/`, so it cannot collide with a data partition). */
export const LEASE_PARTITION = '#lease';

/** The lease record `name` as one item, every write conditional on the exact record read. */
export function dynamoLeaseStore(io: DynamoIo, name: string): LeaseStore {
  const key = { pk: LEASE_PARTITION, sk: Buffer.from(name, 'utf8') };
  const matches = (e: Expression, r: LeaseRecord) =>
    `${e.name('o')} = ${e.value({ S: r.owner })} AND ${e.name('r')} = ${e.value({ S: r.version })}`;
  return {
    async read() {
      const item = await io.get(key, 'read the leader lease');
      const owner = item?.o?.S;
      const version = item?.r?.S;
      return owner && version ? { owner, version } : undefined;
    },
    create(next) {
      const e = new Expression();
      const update = e.update({ o: { S: next.owner }, r: { S: next.version } }, []);
      return io.update(key, e, update, `attribute_not_exists(${e.name('o')})`, 'claim the leader lease');
    },
    replace(expected, next) {
      const e = new Expression();
      const update = e.update({ o: { S: next.owner }, r: { S: next.version } }, []);
      return io.update(key, e, update, matches(e, expected), 'renew the leader lease');
    },
    release(expected) {
      const e = new Expression();
      return io.delete(key, e, matches(e, expected), 'release the leader lease');
    },
  };
}
