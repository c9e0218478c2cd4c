import { randomBytes } from 'node:crypto';
import type { DynamoIo } from './dynamo-io.js';
import { type KeyState, splitValue } from './dynamo-items.js';
import { chunkPartition, chunkSortKey } from './dynamo-keys.js';

/** A fresh value generation id (random, so no two writes share one). */
export function newGeneration(): string {
  return randomBytes(12).toString('hex');
}

/** Write a value's overflow chunks (before any head points at them) and return its state at `rev`. */
export async function writeValue(io: DynamoIo, value: Buffer, rev: number): Promise<KeyState> {
  const gen = newGeneration();
  const { first, rest } = splitValue(value);
  await Promise.all(
    rest.map((c, i) =>
      // `t`: when the part was written, so the sweeper can tell a crashed writer's part from one in flight.
      io.put(
        { pk: chunkPartition(gen), sk: chunkSortKey(i + 1) },
        { c: { B: c }, t: { N: String(Date.now()) } },
        'write a value part',
      ),
    ),
  );
  return { rev, first, gen, chunks: rest.length };
}

/** Delete a generation's overflow chunks (best effort: a leftover chunk is unreferenced garbage, never read). */
export async function deleteChunks(io: DynamoIo, s: KeyState): Promise<void> {
  if (!s.gen || s.chunks === 0) return;
  const gen = s.gen;
  await Promise.all(
    Array.from({ length: s.chunks }, (_, i) =>
      io
        .delete(
          { pk: chunkPartition(gen), sk: chunkSortKey(i + 1) },
          undefined,
          undefined,
          'delete a value part',
        )
        .catch(() => false),
    ),
  );
}

/** The whole value of a state, or undefined when a chunk is gone (the value was replaced meanwhile: read again). */
export async function readValue(io: DynamoIo, s: KeyState): Promise<Buffer | undefined> {
  const first = s.first ?? Buffer.alloc(0);
  if (s.chunks === 0 || !s.gen) return Buffer.from(first);
  const gen = s.gen;
  const parts = await Promise.all(
    Array.from({ length: s.chunks }, (_, i) =>
      io.get({ pk: chunkPartition(gen), sk: chunkSortKey(i + 1) }, 'read a value part'),
    ),
  );
  const bufs: Buffer[] = [first];
  for (const p of parts) {
    if (p?.c?.B === undefined) return undefined;
    bufs.push(Buffer.from(p.c.B));
  }
  return Buffer.concat(bufs);
}
