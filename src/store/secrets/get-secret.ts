import { parseAddress } from '../../core/secrets/address.js';
import { decodeValue, type SecretValue } from '../../core/secrets/value-codec.js';
import { readableVersion, selectedVersion, type VersionSelector } from '../../core/secrets/version-rules.js';
import type { StoreContext } from '../context.js';

/** A secret version as read. */
export interface SecretRead {
  readonly path: string;
  readonly version: number;
  readonly value: SecretValue;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly description?: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly expiresAt?: string;
}

/** Build `get`: the served version (`current` label when staged, else the latest), or a given version or label. */
export function createGetSecret(ctx: Pick<StoreContext, 'io'>) {
  return async function getSecret(address: string, options: VersionSelector = {}): Promise<SecretRead> {
    const parsed = parseAddress(address);
    // When every row is in the read cache the whole read runs synchronously (no awaits, no row copies).
    const loaded = ctx.io.peekLoad(parsed) ?? (await ctx.io.load(parsed));
    const info = readableVersion(
      loaded.meta,
      loaded.where,
      selectedVersion(loaded.meta, loaded.where, options),
    );
    // A live-looking version with a tombstone is a rolled-back row; known-absent tombstones cost no await.
    const buried = ctx.io.tombstones.check(loaded.address, loaded.ring, info);
    const bytes =
      buried === undefined
        ? (ctx.io.peekValue(loaded.address, loaded.ring, info.version) ??
          (await ctx.io.readValue(loaded.address, loaded.ring, info.version)))
        : await afterCheck(buried, ctx.io.readValue(loaded.address, loaded.ring, info.version));
    try {
      const { meta } = loaded;
      // Built field by field rather than with conditional spreads: this is the per-read hot path.
      const read: { -readonly [K in keyof SecretRead]: SecretRead[K] } = {
        path: loaded.where,
        version: info.version,
        value: decodeValue(bytes),
        createdAt: info.createdAt,
        createdBy: info.createdBy,
        tags: meta.tags,
      };
      if (meta.description !== undefined) read.description = meta.description;
      if (meta.expiresAt !== undefined) read.expiresAt = meta.expiresAt;
      return read;
    } finally {
      bytes.fill(0);
    }
  };
}

/**
 * The value read alongside the tombstone check (uncached backends such as PostgreSQL and DynamoDB: one round trip
 * instead of two in a row), released only once the check passes; a refused read's plaintext is wiped unseen.
 */
async function afterCheck(check: Promise<void>, reading: Promise<Buffer>): Promise<Buffer> {
  const settled = reading.then(
    (bytes) => ({ bytes }),
    (error: unknown) => ({ error }),
  );
  try {
    await check;
  } catch (err) {
    const r = await settled;
    if ('bytes' in r) r.bytes.fill(0);
    throw err;
  }
  const r = await settled;
  if ('error' in r) throw r.error;
  return r.bytes;
}
