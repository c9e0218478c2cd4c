import { z } from 'zod';
import { hushError } from '../../core/errors/index.js';
import { configProblems } from '../backend-helpers.js';

/** Connections kept open per process unless configured. */
export const DEFAULT_POOL_SIZE = 10;
/** Longest a single statement may run on the server before it is cancelled, unless configured. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;
/** Longest a connection attempt may take before the call fails with HUSH_E_STORAGE, unless configured. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

const postgresUrl = z
  .string()
  .min(1, 'must not be empty')
  .refine((url) => /^postgres(ql)?:\/\/[^/]/.test(url) && URL.canParse(url), {
    message: 'must be a postgres://user:password@host:port/database URL',
  });

/** The PostgreSQL backend's configuration; unknown keys are errors so that typos do not pass silently. */
export const postgresConfigSchema = z.strictObject({
  /** Connection string, e.g. postgres://hush:PASSWORD@db.internal:5432/hush (the password is never echoed). */
  url: postgresUrl,
  /** Maximum connections in this process's pool. */
  poolSize: z.number().int().min(1).max(1000).optional(),
  /** Server-side statement_timeout: a statement running longer is cancelled and the call fails. */
  statementTimeoutMs: z.number().int().min(1).max(600_000).optional(),
  /** How long to wait for a new connection (server down, network black hole) before failing. */
  connectTimeoutMs: z.number().int().min(1).max(600_000).optional(),
});

/** Configuration as written by a user (optional fields may be absent). */
export type PostgresConfigInput = z.input<typeof postgresConfigSchema>;

/** Validated configuration with defaults applied. */
export interface PostgresConfig {
  readonly url: string;
  /** `host:port/database` for messages: never the user's password. */
  readonly target: string;
  readonly poolSize: number;
  readonly statementTimeoutMs: number;
  readonly connectTimeoutMs: number;
}

/** `host:port/database` of a connection URL, for error messages (no user, no password, no query). */
export function describeTarget(url: string): string {
  const parsed = new URL(url);
  const host = parsed.hostname === '' ? 'localhost' : parsed.hostname;
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || '(default database)';
  return `${host}:${parsed.port === '' ? '5432' : parsed.port}/${database}`;
}

/** Validate a PostgreSQL storage config once, at the edge; throws HUSH_E_CONFIG with a one-line message. */
export function parsePostgresConfig(input: unknown): PostgresConfig {
  const parsed = postgresConfigSchema.safeParse(input);
  if (!parsed.success) {
    // Zod issues name the field and the rule, never the offending value, so the URL's password stays out.
    const problems = configProblems(parsed.error);
    throw hushError('INVALID_POSTGRES_STORAGE_CONFIG_EXPECTED', { problems });
  }
  const { url } = parsed.data;
  return Object.freeze({
    url,
    target: describeTarget(url),
    poolSize: parsed.data.poolSize ?? DEFAULT_POOL_SIZE,
    statementTimeoutMs: parsed.data.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
    connectTimeoutMs: parsed.data.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
  });
}
