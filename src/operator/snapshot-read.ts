import { openAead } from '../core/crypto/aead.js';
import { wipe } from '../core/crypto/random.js';
import { hushError } from '../core/errors/index.js';
import type { UnsealRoot } from './root-key.js';
import { RowDigest } from './row-digest.js';
import { SnapshotFileReader } from './snapshot-file-reader.js';
import {
  chunkAad,
  decodeRows,
  headerDigest,
  parseHeader,
  SNAPSHOT_MAGIC,
  type SnapshotHeader,
  type SnapshotTrailer,
} from './snapshot-format.js';
import { unwrapSnapshotKey } from './snapshot-key.js';
import type { SnapshotSummary } from './snapshot-save.js';

/** A row read back from a snapshot. */
export interface SnapshotRow {
  readonly key: string;
  readonly value: Buffer;
}

/** Read just the clear header (to learn the seal kind before asking for unseal material). */
export async function readSnapshotHeader(file: string): Promise<SnapshotHeader> {
  const reader = await SnapshotFileReader.open(file);
  try {
    return (await readHead(reader)).header;
  } finally {
    await reader.close();
  }
}

async function readHead(reader: SnapshotFileReader) {
  const magic = await reader
    .exactly(SNAPSHOT_MAGIC.length, 'the file signature')
    .catch(() => Buffer.alloc(0));
  if (!magic.equals(SNAPSHOT_MAGIC)) {
    throw hushError('NOT_HUSH_SNAPSHOT_NOT_START', {
      file: reader.file,
      snapshotMagic: SNAPSHOT_MAGIC.toString('latin1'),
    });
  }
  const headerBytes = await reader.field('the header');
  const header = parseHeader(headerBytes, reader.file);
  const wrapped = await reader.field('the wrapped key');
  return { header, digest: headerDigest(headerBytes), wrapped };
}

/**
 * Open and check a whole snapshot: unseal its header's seal row with `unsealRoot`, unwrap the snapshot key, open
 * every chunk in order (tampered, reordered, missing or extra chunks are HUSH_E_INTEGRITY naming the chunk), and
 * check the rows against the trailer's count and SHA-256. `onRows` sees each chunk's rows once its chunk opened
 * (awaited, so a writer applies back-pressure) and `onChunk` each chunk's sealed bytes as read; callers that write
 * must have checked the whole file in an earlier pass (see snapshot-restore.ts) before writing anything.
 */
export async function readSnapshot(
  file: string,
  unsealRoot: UnsealRoot,
  onRows: (rows: SnapshotRow[]) => void | Promise<void> = () => undefined,
  onChunk: (index: number, envelope: Buffer) => void = () => undefined,
): Promise<SnapshotSummary & { header: SnapshotHeader }> {
  const reader = await SnapshotFileReader.open(file);
  try {
    const { header, digest, wrapped } = await readHead(reader);
    const root = await unsealRoot(Buffer.from(header.sealRow, 'base64'));
    let key: Buffer;
    try {
      key = unwrapSnapshotKey(root, Buffer.from(header.kdf.salt, 'base64'), wrapped, digest, file);
    } finally {
      wipe(root);
    }
    try {
      const rows = new RowDigest();
      let trailer: SnapshotTrailer | undefined;
      let index = 0;
      while (trailer === undefined) {
        if (reader.remaining === 0) {
          throw hushError('SNAPSHOT_TRUNCATED_ENDS_AFTER_CHUNK', { file, index });
        }
        index += 1;
        const envelope = await reader.field(`chunk ${index}`);
        onChunk(index, envelope);
        const plain = openChunk(key, envelope, digest, index, file);
        if (plain.final) trailer = parseTrailer(plain.bytes, file, index);
        else {
          const chunkRows = decodeRows(plain.bytes, `snapshot ${file} chunk ${index}`);
          for (const row of chunkRows) rows.add(row.key, row.value);
          await onRows(chunkRows);
        }
      }
      if (reader.remaining > 0) {
        throw hushError('SNAPSHOT_UNEXPECTED_BYTES_AFTER_FINAL', {
          file,
          remaining: reader.remaining,
          index,
        });
      }
      const got = rows.result();
      if (got.rows !== trailer.rows || got.sha256 !== trailer.sha256) {
        throw hushError('SNAPSHOT_ROWS_NOT_ADD_UP', {
          file,
          rows: got.rows,
          rows2: trailer.rows,
          value: got.sha256 === trailer.sha256 ? 'match' : 'differ',
        });
      }
      return { ...got, chunks: index, bytes: reader.size, header };
    } finally {
      wipe(key);
    }
  } finally {
    await reader.close();
  }
}

/** Open chunk `index`, trying the final flag's two values: the one that authenticates tells which it is. */
function openChunk(key: Buffer, envelope: Buffer, digest: string, index: number, file: string) {
  try {
    return { final: false, bytes: openAead(key, envelope, chunkAad(digest, index, false)) };
  } catch {
    // Not a row chunk at this position: the final chunk, or a tampered/moved one (reported below).
  }
  return {
    final: true,
    bytes: openAead(
      key,
      envelope,
      chunkAad(digest, index, true),
      `snapshot ${file} chunk ${index} (changed, moved from another position, or from another snapshot)`,
    ),
  };
}

function parseTrailer(bytes: Buffer, file: string, index: number): SnapshotTrailer {
  try {
    const t = JSON.parse(bytes.toString('utf8')) as SnapshotTrailer;
    if (Number.isSafeInteger(t.rows) && typeof t.sha256 === 'string') return t;
  } catch {
    // reported below
  }
  throw hushError('SNAPSHOT_FINAL_CHUNK_HOLDS_NO', { file, index });
}
