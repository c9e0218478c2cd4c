import { createHash, type Hash } from 'node:crypto';

/**
 * Count and SHA-256 of a row set, fed in key order: each row contributes u32 key length, key (UTF-8), u32 value
 * length, value. Length prefixes make the encoding unambiguous, so two row sets hash equal only if they are equal.
 * Revisions are not included: a copy restarts every key's revision at 1.
 */
export class RowDigest {
  private readonly hash: Hash = createHash('sha256');
  private rows = 0;

  /** Add the next row (callers feed rows in ascending UTF-8 key order). */
  add(key: string, value: Uint8Array): void {
    const keyBytes = Buffer.from(key, 'utf8');
    const lengths = Buffer.allocUnsafe(4);
    lengths.writeUInt32BE(keyBytes.length);
    this.hash.update(lengths).update(keyBytes);
    const valueLength = Buffer.allocUnsafe(4);
    valueLength.writeUInt32BE(value.length);
    this.hash.update(valueLength).update(value);
    this.rows += 1;
  }

  /** The row count and hex SHA-256 so far (call once, at the end). */
  result(): RowSummary {
    return { rows: this.rows, sha256: this.hash.digest('hex') };
  }
}

/** What both sides of a copy are compared by. */
export interface RowSummary {
  readonly rows: number;
  readonly sha256: string;
}
