/** Where a unit came from in history (git sources). */
export interface UnitMeta {
  readonly commit?: string;
  readonly author?: string;
  readonly date?: string;
}

/**
 * One thing to scan: a file, a blob, an archive entry, a stream. Small units carry `text`; large ones `chunks`
 * (scanned in bounded windows). Sources do the I/O; the runner stays pure apart from reading what they yield.
 */
export interface ScanUnit {
  readonly path: string;
  readonly meta?: UnitMeta;
  readonly text?: string;
  /** Raw UTF-8 bytes (preferred over `text`: the prefilter runs before any decoding). */
  readonly data?: Uint8Array;
  readonly chunks?: AsyncIterable<string>;
  /** Scan each arriving chunk at once (live streams such as `kubectl logs -f`), rather than in big windows. */
  readonly eager?: boolean;
  /** Size in bytes, for progress and throughput. */
  readonly bytes: number;
  /** Report only findings starting on these lines (staged and range scans: the added lines). */
  readonly onlyLines?: ReadonlySet<number>;
  /** Units with the same key have the same content (a git blob id): scanned once, findings reused. */
  readonly cacheKey?: string;
  /**
   * A binary file's first bytes (at most BINARY_HEAD_BYTES) for the structural rules (snapshots, BYOK keys), with
   * `bytes` its whole size; such a unit has no text.
   */
  readonly binaryHead?: Uint8Array;
}

/** Something a source could not read, reported in the result rather than aborting the scan. */
export interface SourceWarning {
  readonly path: string;
  readonly message: string;
}

/** A source: an async stream of units, plus a sink for warnings (skipped binaries are not warnings). */
export interface ScanSource {
  units(warn: (w: SourceWarning) => void): AsyncIterable<ScanUnit>;
}

/** True when the first 8 KiB hold a NUL byte: the usual, cheap test for binary content. */
export function looksBinary(bytes: Uint8Array): boolean {
  // Native memchr through Buffer#indexOf: a JS byte loop here cost more than the scan itself on git history.
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 8192));
  return head.indexOf(0) !== -1;
}

/** Decode bytes as UTF-8 text. */
export function textOf(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}
