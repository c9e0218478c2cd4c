import { createHash } from 'node:crypto';
import { z } from 'zod';
import { hushError } from '../core/errors/index.js';

/**
 * The snapshot file layout (all integers u32 big-endian):
 *
 *   "HUSHSNAP" | len | header JSON (clear) | len | wrapped snapshot key | { len | chunk envelope }*
 *
 * The header holds the store's seal row (so the root key can be recovered from the original unseal material on any
 * machine) and the HKDF salt; it is authenticated as the AAD of the wrapped key and of every chunk. Each chunk is an
 * AES-256-GCM envelope whose AAD binds the header digest, the chunk's index (from 1) and a final flag: a chunk that
 * is changed, moved, dropped or cut off fails to open, and a file without its final chunk is truncated. Row chunks
 * hold rows (len key | len value ...); the final chunk holds only the trailer (row count and SHA-256).
 */
export const SNAPSHOT_MAGIC = Buffer.from('HUSHSNAP', 'latin1');
/** HKDF info of the key that wraps the snapshot key. */
export const SNAPSHOT_KDF_INFO = 'hush-snapshot-wrap-v1';
/** Plaintext bytes per chunk unless told otherwise (a row larger than this gets a chunk of its own). */
export const DEFAULT_CHUNK_BYTES = 1 << 20;
/** Largest length field a reader accepts: guards against allocating from a corrupt length. */
export const MAX_FIELD_BYTES = 256 << 20;

const headerSchema = z.strictObject({
  format: z.literal(1),
  createdAt: z.string(),
  /** The source's `sys/seal` row, base64: seal record and root check value, no key material. */
  sealRow: z.string().min(1),
  kdf: z.strictObject({ name: z.literal('hkdf-sha256'), salt: z.string().min(1) }),
  cipher: z.literal('aes-256-gcm'),
});

/** The clear header of a snapshot. */
export type SnapshotHeader = z.infer<typeof headerSchema>;

/** The trailer in the final chunk: what the rows must add up to. */
export interface SnapshotTrailer {
  readonly rows: number;
  readonly sha256: string;
}

/** Parse header bytes (already length-delimited); anything unexpected is an integrity failure. */
export function parseHeader(bytes: Buffer, file: string): SnapshotHeader {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    json = undefined;
  }
  const parsed = headerSchema.safeParse(json);
  if (!parsed.success) {
    throw hushError('HEADER_SNAPSHOT_MALFORMED_FORMAT_EXPECTED', { file });
  }
  return parsed.data;
}

/** Hex SHA-256 of the header bytes: bound into every AAD so a changed header fails at the first open. */
export function headerDigest(headerBytes: Uint8Array): string {
  return createHash('sha256').update(headerBytes).digest('hex');
}

/** The AAD of chunk `index` (from 1). */
export function chunkAad(digest: string, index: number, final: boolean) {
  return { purpose: 'snapshot-chunk', header: digest, index, final: final ? 1 : 0 } as const;
}

/** The AAD of the wrapped snapshot key. */
export function keyAad(digest: string) {
  return { purpose: 'snapshot-key', header: digest } as const;
}

/** A u32 big-endian length prefix. */
export function u32(n: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32BE(n);
  return b;
}

/** One row as it sits in a chunk's plaintext. */
export function encodeRow(key: string, value: Uint8Array): Buffer {
  const k = Buffer.from(key, 'utf8');
  return Buffer.concat([u32(k.length), k, u32(value.length), value]);
}

/** Split a row chunk's plaintext back into rows; a framing error here means a bug or a forged key. */
export function decodeRows(plain: Buffer, where: string): { key: string; value: Buffer }[] {
  const rows: { key: string; value: Buffer }[] = [];
  let at = 0;
  const take = (n: number): Buffer => {
    if (at + n > plain.length) {
      throw hushError('SNAPSHOT_ROW_PAST_CHUNK_END', { where });
    }
    const out = plain.subarray(at, at + n);
    at += n;
    return out;
  };
  while (at < plain.length) {
    const key = take(take(4).readUInt32BE()).toString('utf8');
    const value = Buffer.from(take(take(4).readUInt32BE()));
    rows.push({ key, value });
  }
  return rows;
}
