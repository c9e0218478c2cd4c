import type { ListPage } from '../backend.js';
import { visibleState } from './dynamo-heads.js';
import type { DynamoIo } from './dynamo-io.js';
import type { Item } from './dynamo-items.js';
import { byteOrder, listScope, REGISTRY_PARTITION, ROOT_PARTITION } from './dynamo-keys.js';

/** Items read per Query page while listing. */
const QUERY_PAGE = 500;

const utf8 = (s: string) => Buffer.from(s, 'utf8');

/** Raw sort keys of one partition that start with `prefix` and sort after `after`, in byte order. */
async function* rawKeys(
  io: DynamoIo,
  partition: string,
  prefix: string,
  after: string | undefined,
): AsyncGenerator<{ key: string; item: Item }> {
  // Either "sk > after" (stop at the first key past the prefix) or "begins_with(sk, prefix)": one key condition.
  const useAfter = after !== undefined && byteOrder(after, prefix) >= 0;
  const sk = useAfter ? { after: utf8(after) } : { beginsWith: utf8(prefix) };
  let start: Item | undefined;
  do {
    const page = await io.query(partition, sk, QUERY_PAGE, start, 'list keys');
    for (const item of page.items) {
      const key = Buffer.from(item.sk?.B ?? new Uint8Array()).toString('utf8');
      if (!key.startsWith(prefix)) return;
      yield { key, item };
    }
    start = page.last;
  } while (start);
}

/** Keys visible to readers: committed, or pending in a batch that has committed (resolved per key, rarely). */
async function* visibleKeys(io: DynamoIo, partition: string, prefix: string, after: string | undefined) {
  for await (const { key, item } of rawKeys(io, partition, prefix, after)) {
    if (item.lk?.S === undefined) {
      if (Number(item.rv?.N ?? 0) > 0) yield key;
    } else if ((await visibleState(io, key)).rev > 0) yield key;
  }
}

/** Keys of every registered partition whose name starts with `prefix`, partition after partition. */
async function* registeredKeys(io: DynamoIo, prefix: string, after: string | undefined) {
  for await (const { key: partition } of rawKeys(io, REGISTRY_PARTITION, prefix, undefined)) {
    // A partition sorting wholly before the cursor holds nothing after it.
    if (after !== undefined && byteOrder(partition, after) < 0 && !after.startsWith(partition)) continue;
    yield* visibleKeys(io, partition, prefix, after);
  }
}

/** Merge two ascending key streams. */
async function* merge(a: AsyncGenerator<string>, b: AsyncGenerator<string>): AsyncGenerator<string> {
  let x = await a.next();
  let y = await b.next();
  while (!x.done || !y.done) {
    if (y.done || (!x.done && byteOrder(x.value, y.value) < 0)) {
      yield x.value as string;
      x = await a.next();
    } else {
      yield y.value;
      y = await b.next();
    }
  }
}

/**
 * One page of `list(prefix)`. A prefix with two `/` names one partition: one Query. A shorter prefix merges the
 * `#root` partition with every registered partition it covers, in byte order (partitions are disjoint key ranges).
 */
export async function listPage(
  io: DynamoIo,
  prefix: string,
  after: string | undefined,
  limit: number,
): Promise<ListPage> {
  const scope = listScope(prefix);
  const stream =
    'single' in scope
      ? visibleKeys(io, scope.single, prefix, after)
      : merge(visibleKeys(io, ROOT_PARTITION, prefix, after), registeredKeys(io, prefix, after));
  const keys: string[] = [];
  for await (const key of stream) {
    if (keys.length === limit) {
      await stream.return(undefined);
      return { keys, next: keys[limit - 1]! };
    }
    keys.push(key);
  }
  return { keys };
}
