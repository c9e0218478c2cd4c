import type { FileHandle } from 'node:fs/promises';
import { sealAead } from '../core/crypto/aead.js';
import { wipe } from '../core/crypto/random.js';
import { hushError } from '../core/errors/index.js';
import { writeFileAtomically } from '../fs/atomic-file.js';
import type { StorageBackend } from '../storage/backend.js';
import { SEAL_KEY } from '../store/storage-keys.js';
import type { UnsealRoot } from './root-key.js';
import { RowDigest, type RowSummary } from './row-digest.js';
import { compareDigest } from './snapshot-check.js';
import {
  chunkAad,
  DEFAULT_CHUNK_BYTES,
  encodeRow,
  headerDigest,
  SNAPSHOT_MAGIC,
  type SnapshotHeader,
  u32,
} from './snapshot-format.js';
import { newSnapshotKey, wrapSnapshotKey } from './snapshot-key.js';
import { refuseUnfinishedSource } from './unfinished-source.js';
import { walkRows } from './walk-rows.js';

/** What {@link saveSnapshot} needs. */
export interface SaveSnapshotOptions {
  readonly source: Pick<StorageBackend, 'get' | 'list'>;
  readonly file: string;
  /** Recovers the root key from the source's seal row (the CLI reads the operator's unseal material). */
  readonly unsealRoot: UnsealRoot;
  readonly overwrite?: boolean;
  /** The source as shown in messages (password masked). */
  readonly label?: string;
  readonly chunkBytes?: number;
  readonly clock?: () => Date;
}

/** What a saved snapshot holds. */
export interface SnapshotSummary extends RowSummary {
  readonly chunks: number;
  readonly bytes: number;
}

/**
 * Write every row of `source` to one encrypted, integrity-checked file (see snapshot-format.ts), through a temp
 * file renamed into place. Afterwards the source is hashed again: if it changed while it was read, the file is
 * removed and the save fails, because a snapshot of a moving store may mix old and new rows.
 *
 * @example
 * await saveSnapshot({ source, file: 'hush.snap', unsealRoot });
 */
export async function saveSnapshot(options: SaveSnapshotOptions): Promise<SnapshotSummary> {
  await refuseUnfinishedSource(options.source, options.label ?? '(--from)');
  const sealRow = await options.source.get(SEAL_KEY);
  if (!sealRow) {
    throw hushError('SOURCE_HOLDS_NO_STORE_NO');
  }
  const root = await options.unsealRoot(sealRow.value);
  const snap = newSnapshotKey();
  let summary: SnapshotSummary | undefined;
  try {
    const header: SnapshotHeader = {
      format: 1,
      createdAt: (options.clock ?? (() => new Date()))().toISOString(),
      sealRow: sealRow.value.toString('base64'),
      kdf: { name: 'hkdf-sha256', salt: snap.salt.toString('base64') },
      cipher: 'aes-256-gcm',
    };
    const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
    const digest = headerDigest(headerBytes);
    const wrapped = wrapSnapshotKey(root, snap.salt, snap.key, digest);
    wipe(root);
    await writeFileAtomically(options.file, { overwrite: options.overwrite === true }, async (fh) => {
      const out = new ChunkWriter(fh, snap.key, digest);
      await out.raw(
        Buffer.concat([SNAPSHOT_MAGIC, u32(headerBytes.length), headerBytes, u32(wrapped.length), wrapped]),
      );
      const rows = new RowDigest();
      const limit = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      for await (const row of walkRows(options.source)) {
        rows.add(row.key, row.value);
        const encoded = encodeRow(row.key, row.value);
        pending.push(encoded);
        pendingBytes += encoded.length;
        if (pendingBytes >= limit) {
          await out.chunk(Buffer.concat(pending), false);
          pending = [];
          pendingBytes = 0;
        }
      }
      if (pending.length > 0) await out.chunk(Buffer.concat(pending), false);
      const trailer = rows.result();
      await out.chunk(Buffer.from(JSON.stringify(trailer), 'utf8'), true);
      // Still inside the temp file's lifetime: a failure here leaves nothing under `file`.
      await compareDigest(options.source, trailer);
      summary = { ...trailer, chunks: out.chunks, bytes: out.bytes };
    });
  } finally {
    wipe(root);
    wipe(snap.key);
  }
  return summary!;
}

/** Appends chunk envelopes, each length-prefixed, counting chunks and bytes. */
class ChunkWriter {
  chunks = 0;
  bytes = 0;
  constructor(
    private readonly fh: FileHandle,
    private readonly key: Buffer,
    private readonly digest: string,
  ) {}

  async raw(bytes: Buffer): Promise<void> {
    await this.fh.write(bytes);
    this.bytes += bytes.length;
  }

  async chunk(plain: Buffer, final: boolean): Promise<void> {
    this.chunks += 1;
    const envelope = sealAead(this.key, plain, chunkAad(this.digest, this.chunks, final));
    await this.raw(Buffer.concat([u32(envelope.length), envelope]));
  }
}
