/** Limits that stop archive bombs: nesting depth, total bytes expanded, and the per-entry compression ratio. */
export interface ArchiveLimits {
  readonly maxDepth: number;
  readonly maxTotalBytes: number;
  readonly maxRatio: number;
}

/** Depth 4, 256 MiB expanded per top-level archive (keeps RSS bounded), 200:1 per entry over 1 MiB. */
export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = { maxDepth: 4, maxTotalBytes: 256 << 20, maxRatio: 200 };

const ARCHIVE_NAME = /\.(?:tar|tgz|tar\.gz|zip|jar|war|ear|whl|apk|nupkg)$/i;

/** True when a file name looks like an archive worth opening (kept apart so callers need not load the archive code). */
export function isArchiveName(name: string): boolean {
  return ARCHIVE_NAME.test(name);
}
