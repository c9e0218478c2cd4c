import type { HushError } from '../../core/errors/hush-error.js';
import { hushError } from '../../core/errors/index.js';
import { formatAddress, parseAddress, type SecretAddress } from '../../core/secrets/address.js';
import type { SecretMetadata, VersionInfo } from '../../core/secrets/secret-metadata.js';
import { assertSecretValue, encodeValue, type SecretValue } from '../../core/secrets/value-codec.js';
import { hasData, keptLabels, labelsAfterWrite, pruneVersions } from '../../core/secrets/version-rules.js';
import type { BatchOp } from '../../storage/backend.js';
import { retryOnConflict } from '../../storage/retry-on-conflict.js';
import type { StoreContext } from '../context.js';
import { dataKey } from '../storage-keys.js';
import { applyMetadataOptions, type MetadataOptions } from './metadata-options.js';

/** Options of put (and of anything else that writes a new version). */
export interface PutOptions extends MetadataOptions {
  /** Who writes (recorded in metadata), e.g. `user:alice` or `token:ci`. */
  readonly actor: string;
  /** Check-and-set: the version the caller last saw (0 = the secret must not exist yet). */
  readonly cas?: number;
  /** Rotation staging: label the new version `pending` and keep serving `current` until `promote`. */
  readonly stage?: boolean;
}

/** The version a write created. */
export interface PutResult {
  readonly path: string;
  readonly version: number;
  readonly createdAt: string;
  /** Set when the write was staged: the version is labelled `pending`. */
  readonly label?: 'pending';
}

type WriterContext = Pick<StoreContext, 'io' | 'backend' | 'clock' | 'limits'>;

/** Build `put`: write a value as a new version (check-and-set optional), pruning beyond `maxVersions`. */
export function createPutSecret(ctx: WriterContext) {
  const writeVersion = createVersionWriter(ctx);
  return async function putSecret(
    address: string,
    value: SecretValue,
    options: PutOptions,
  ): Promise<PutResult> {
    const parsed = parseAddress(address);
    assertSecretValue(value);
    return writeVersion(parsed, encodeValue(value, ctx.limits.maxValueBytes), options);
  };
}

/**
 * Write an already-encoded value as the next version. Metadata and data go in one atomic batch with check-and-set
 * on the metadata row, so two writers can never both create the same version (the loser re-reads and, if it gave
 * `cas`, fails with HUSH_E_CAS_CONFLICT).
 */
export function createVersionWriter(ctx: WriterContext) {
  return async function writeVersion(
    address: SecretAddress,
    encoded: Uint8Array,
    options: PutOptions,
  ): Promise<PutResult> {
    const where = formatAddress(address);
    return retryOnConflict(async () => {
      const found = await ctx.io.find(address);
      const current = found.meta?.current ?? 0;
      if (options.cas !== undefined && options.cas !== current)
        throw casConflict(where, options.cas, current);
      const ring = found.meta ? found.ring : await ctx.io.writableRing(address);
      const now = ctx.clock().toISOString();
      const version = current + 1;
      const added: VersionInfo = { version, state: 'active', createdAt: now, createdBy: options.actor };
      const { kept, pruned } = pruneVersions(
        [...(found.meta?.versions ?? []), added],
        ctx.limits.maxVersions,
      );
      const base: SecretMetadata = found.meta ?? {
        current: 0,
        createdAt: now,
        createdBy: options.actor,
        updatedAt: now,
        updatedBy: options.actor,
        tags: {},
        versions: [],
      };
      const { labels: _old, ...rest } = base;
      const labels = keptLabels(labelsAfterWrite(found.meta, version, options.stage === true), kept);
      const meta = applyMetadataOptions(
        {
          ...rest,
          current: version,
          updatedAt: now,
          updatedBy: options.actor,
          versions: kept,
          ...(labels ? { labels } : {}),
        },
        options,
      );
      const ops: BatchOp[] = [
        ctx.io.metaOp(address, ring, meta, found.revision),
        ctx.io.dataOp(address, ring, version, encoded),
        // Deleting a pruned version's row deletes its wrapped data key: the old value is shredded.
        ...pruned.filter(hasData).map((v): BatchOp => ({ op: 'delete', key: dataKey(address, v.version) })),
        // The metadata no longer lists pruned versions, so their tombstones go too (see version-tombstones.ts).
        ...pruned
          .filter((v) => v.state !== 'active')
          .map((v) => ctx.io.tombstones.deleteOp(address, v.version)),
      ];
      await ctx.backend.batch(ops);
      return {
        path: where,
        version,
        createdAt: now,
        ...(options.stage ? { label: 'pending' as const } : {}),
      };
    });
  };
}

/** The coded error for a failed check-and-set, with both versions. */
export function casConflict(where: string, expected: number, found: number): HushError {
  const wanted = expected === 0 ? 'no secret yet (cas 0)' : `version ${expected}`;
  const actual = found === 0 ? 'no secret' : `version ${found}`;
  return hushError(
    'CHECK_SET_FAILED_EXPECTED_FOUND',
    { where, wanted, actual },
    { path: where, expected, found },
  );
}
