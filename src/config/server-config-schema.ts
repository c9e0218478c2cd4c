import { z } from 'zod';

const MIB = 1024 * 1024;

/** Log levels accepted by `logLevel` / HUSH_LOG_LEVEL (pino's). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const path = z.string().min(1, 'must be a non-empty path');

const sealSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('key-file'), path: path.optional() }),
  z
    .strictObject({
      kind: z.literal('shamir'),
      shares: z.int().min(1).max(255).default(5),
      threshold: z.int().min(1).max(255).default(3),
    })
    .refine((s) => s.threshold <= s.shares, {
      message: 'threshold must be <= shares (e.g. shares: 5, threshold: 3)',
      path: ['threshold'],
    }),
  z.strictObject({ kind: z.literal('rsa'), publicKeyPath: path }),
]);

const timeoutMs = z.int().min(1).max(600_000);

/**
 * `storage`: SQLite (default) or PostgreSQL. A section with `url`/`urlFile` and no `kind` is PostgreSQL, so
 * HUSH_STORAGE_URL alone switches a node to the shared database. The URL carries a password: it is accepted from
 * the file, HUSH_STORAGE_URL or `urlFile`, never from argv, and messages name only host:port/database.
 */
const storageSchema = z.preprocess(
  (raw) =>
    typeof raw === 'object' && raw !== null && !('kind' in raw)
      ? { ...raw, kind: 'url' in raw || 'urlFile' in raw ? 'postgres' : 'sqlite' }
      : raw,
  z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('sqlite'), path: path.optional() }),
    z.strictObject({
      kind: z.literal('postgres'),
      url: z.string().min(1, 'must be a non-empty postgres:// URL').optional(),
      urlFile: path.optional(),
      poolSize: z.int().min(1).max(1000).default(10),
      // Short by default: a node must answer 503 quickly when PostgreSQL is down, not hang its callers.
      connectTimeoutMs: timeoutMs.default(2_000),
      statementTimeoutMs: timeoutMs.default(5_000),
    }),
  ]),
);

/**
 * The server config as written in a config file (every field optional; defaults filled in). Strict at every
 * level so a misspelt key is an error rather than a silently ignored setting. `.prefault` (not `.default`) so the
 * nested defaults are applied when a whole section is omitted.
 */
export const serverConfigSchema = z
  .strictObject({
    listen: z.string().min(1).default('127.0.0.1:8200'),
    dataDir: path.default('./data'),
    insecureListen: z.boolean().default(false),
    logLevel: z.enum(LOG_LEVELS).default('info'),
    storage: storageSchema.prefault({}),
    // The embedded default (`npm start`) is a key file so the store unseals itself; production picks shamir or rsa.
    seal: sealSchema.prefault({ kind: 'key-file' }),
    tls: z.strictObject({ cert: path, key: path }).optional(),
    limits: z
      .strictObject({
        bodyBytes: z
          .int()
          .positive()
          .default(2 * MIB),
        maxValueBytes: z.int().positive().default(MIB),
      })
      .prefault({}),
    audit: z
      .strictObject({
        file: z
          .strictObject({
            path: path.optional(),
            maxBytes: z
              .int()
              .positive()
              .default(100 * MIB),
          })
          .optional(),
        stdout: z.boolean().default(false),
      })
      .prefault({}),
    shutdownTimeoutMs: z.int().positive().default(10_000),
  })
  .refine((c) => c.limits.maxValueBytes <= c.limits.bodyBytes, {
    message: 'limits.maxValueBytes must be <= limits.bodyBytes (a value has to fit in a request body)',
    path: ['limits', 'maxValueBytes'],
  });

/** The parsed file/env/flag config before paths are resolved and the listen address is parsed. */
export type ServerConfigInput = z.output<typeof serverConfigSchema>;

/** The final, validated, frozen server configuration every server part receives. Paths are absolute. */
export interface ServerConfig {
  readonly listen: { readonly host: string; readonly port: number };
  readonly dataDir: string;
  readonly insecureListen: boolean;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly storage: ServerStorageConfig;
  readonly seal:
    | { readonly kind: 'key-file'; readonly path: string }
    | { readonly kind: 'shamir'; readonly shares: number; readonly threshold: number }
    | { readonly kind: 'rsa'; readonly publicKeyPath: string };
  readonly tls?: { readonly cert: string; readonly key: string };
  readonly limits: { readonly bodyBytes: number; readonly maxValueBytes: number };
  readonly audit: {
    readonly file?: { readonly path: string; readonly maxBytes: number };
    readonly stdout: boolean;
  };
  readonly shutdownTimeoutMs: number;
}

/** Where a server keeps its rows: a SQLite file (one node) or a PostgreSQL database (one or many nodes). */
export type ServerStorageConfig =
  | { readonly kind: 'sqlite'; readonly path: string }
  | {
      readonly kind: 'postgres';
      /** The connection URL (holds the password: never log it, never put it in a message). */
      readonly url: string;
      /** `host:port/database`, for messages. */
      readonly target: string;
      readonly poolSize: number;
      readonly connectTimeoutMs: number;
      readonly statementTimeoutMs: number;
    };
