import { z } from 'zod';
import { hushError } from '../../core/errors/index.js';
import { configProblems } from '../backend-helpers.js';

/** How long a writer waits for another process's lock before giving up, unless configured. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/** The SQLite backend's configuration; unknown keys are errors so that typos do not pass silently. */
export const sqliteConfigSchema = z.strictObject({
  /** Database file; created (mode 0600, directory 0700) when missing. */
  path: z.string().min(1, 'must not be empty'),
  /** Milliseconds a second process waits for the write lock instead of failing at once. */
  busyTimeoutMs: z.number().int().min(0).max(600_000).optional(),
});

/** Configuration as written by a user (optional fields may be absent). */
export type SqliteConfigInput = z.input<typeof sqliteConfigSchema>;

/** Validated configuration with defaults applied. */
export interface SqliteConfig {
  readonly path: string;
  readonly busyTimeoutMs: number;
}

/** Validate a SQLite storage config once, at the edge; throws HUSH_E_CONFIG with a one-line message. */
export function parseSqliteConfig(input: unknown): SqliteConfig {
  const parsed = sqliteConfigSchema.safeParse(input);
  if (!parsed.success) {
    const problems = configProblems(parsed.error);
    throw hushError('INVALID_SQLITE_STORAGE_CONFIG_EXPECTED', { problems });
  }
  return Object.freeze({
    path: parsed.data.path,
    busyTimeoutMs: parsed.data.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
  });
}
