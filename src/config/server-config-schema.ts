import { isIP } from 'node:net';
import { z } from 'zod';
import { type AlertsConfig, alertsConfigSchema } from '../core/alerts/alerts-config.js';
import { type CertsConfig, certsConfigSchema } from '../core/certs/certs-config.js';
import { type PkiConfig, pkiConfigSchema } from '../core/certs/pki-config.js';
import { type DynamoConfig, dynamoStorageConfigSchema } from '../storage/dynamodb/dynamo-config.js';

const MIB = 1024 * 1024;

/** Log levels accepted by `logLevel` / HUSH_LOG_LEVEL (pino's). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const path = z.string().min(1, 'must be a non-empty path');

const sealSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('key-file'),
    path: path.optional(),
    allowLooseMode: z.boolean().optional(),
  }),
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
  // The PIN is read from pinFile (mode 0600) or $HUSH_PKCS11_PIN at start-up, never from the config itself.
  z.strictObject({
    kind: z.literal('pkcs11'),
    library: path.optional(),
    tokenLabel: z.string().min(1, 'must name the token (its label)'),
    keyLabel: z.string().min(1, 'must name the AES key (its CKA_LABEL)'),
    pinFile: path.optional(),
  }),
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
    dynamoStorageConfigSchema,
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
    // Host names (Host header) the server answers for; `*` = any. Default: loopback names on a loopback listener.
    allowedHosts: z
      .array(
        z.string().regex(/^(\*|[A-Za-z0-9.:_[\]-]+)$/, 'use a host name or IP (no scheme, path or port)'),
      )
      // An empty list would answer no one (every request 421, the CLI included): say so at start instead.
      .min(1, 'list at least one host name, or "*" for any; leave it unset for the default')
      .optional(),
    // Load balancers / reverse proxies whose X-Forwarded-For is believed (addresses or CIDRs): without them every
    // client behind one shares its address (login budgets, AppRole CIDRs, audit). Nobody else's header is read.
    trustedProxies: z
      .array(
        z
          .string()
          .refine((s) => isProxyAddress(s), 'give an IP address or CIDR, e.g. 10.0.0.5 or 10.0.0.0/24'),
      )
      .default([]),
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
            // fsync: durable against power loss before the reply; write: against a crash (see docs/audit.md).
            sync: z.enum(['fsync', 'write']).default('fsync'),
          })
          .optional(),
        stdout: z.boolean().default(false),
        // At start, the audit files must reach the chain head kept in the store: refuse to start, or alert and serve.
        headCheck: z.enum(['refuse', 'alert']).default('refuse'),
      })
      .prefault({}),
    shutdownTimeoutMs: z.int().positive().default(10_000),
    // Failed logins allowed before a lockout: per (role, address), and per address across roles (docs/identity.md).
    loginLimits: z
      .strictObject({
        maxFailures: z.int().positive().default(5),
        addressMaxFailures: z.int().positive().default(20),
      })
      .prefault({}),
    // External key wrappers (HSM keys) that project/environment keyrings can be bound to (docs/keys.md).
    keys: z
      .strictObject({
        hsm: z
          .array(
            z.strictObject({
              id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'use lower-case letters, digits, - and _'),
              library: path.optional(),
              tokenLabel: z.string().min(1),
              keyLabel: z.string().min(1),
              pinFile: path.optional(),
            }),
          )
          .default([]),
        // Tokens signing keys may live in (transit `hsm`, `hush pki ca init --hsm`): only a login, no AES key.
        hsmTokens: z
          .array(
            z.strictObject({
              id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'use lower-case letters, digits, - and _'),
              library: path.optional(),
              tokenLabel: z.string().min(1),
              pinFile: path.optional(),
            }),
          )
          .default([]),
      })
      .prefault({}),
    // Suspicious-use rules on the audit stream, webhooks and secret-expiry alerts (docs/alerts.md).
    alerts: alertsConfigSchema.prefault({}),
    // Where caller-set URLs (rotation hooks, engine connection URLs) may go (docs/rotation.md, outbound allow-list).
    outbound: z.strictObject({ allow: z.array(z.string().min(1).max(300)).default([]) }).prefault({}),
    // Certificate inventory: expiry lead times and endpoint probes (docs/certificates.md).
    certs: certsConfigSchema.prefault({}),
    // Hush's certificate authority: how many issued certificates it keeps on record (docs/certificates.md).
    pki: pkiConfigSchema.prefault({}),
  })
  .refine((c) => c.limits.maxValueBytes <= c.limits.bodyBytes, {
    message: 'limits.maxValueBytes must be <= limits.bodyBytes (a value has to fit in a request body)',
    path: ['limits', 'maxValueBytes'],
  });

/** The parsed file/env/flag config before paths are resolved and the listen address is parsed. */
export type ServerConfigInput = z.output<typeof serverConfigSchema>;

/** One HSM key a keyring can be bound to: the PIN comes from `pinFile` or $HUSH_PKCS11_PIN. */
export interface HsmKeyConfig {
  readonly id: string;
  readonly library: string;
  readonly tokenLabel: string;
  readonly keyLabel: string;
  readonly pinFile?: string;
}

/** A token HSM-held signing keys live in: the PIN comes from `pinFile` or $HUSH_PKCS11_PIN. */
export type HsmTokenConfig = Omit<HsmKeyConfig, 'keyLabel'>;

/** The final, validated, frozen server configuration every server part receives. Paths are absolute. */
export interface ServerConfig {
  readonly listen: { readonly host: string; readonly port: number };
  readonly dataDir: string;
  readonly insecureListen: boolean;
  /** Host names the server answers for (`*` = any); absent: loopback names when listening on loopback. */
  readonly allowedHosts?: readonly string[];
  /** Proxies whose X-Forwarded-For gives the client address (see the schema). */
  readonly trustedProxies: readonly string[];
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly storage: ServerStorageConfig;
  readonly seal:
    | { readonly kind: 'key-file'; readonly path: string; readonly allowLooseMode?: boolean }
    | { readonly kind: 'shamir'; readonly shares: number; readonly threshold: number }
    | { readonly kind: 'rsa'; readonly publicKeyPath: string }
    | {
        readonly kind: 'pkcs11';
        readonly library: string;
        readonly tokenLabel: string;
        readonly keyLabel: string;
        readonly pinFile?: string;
      };
  readonly tls?: { readonly cert: string; readonly key: string };
  readonly limits: { readonly bodyBytes: number; readonly maxValueBytes: number };
  readonly audit: {
    readonly file?: { readonly path: string; readonly maxBytes: number; readonly sync: 'fsync' | 'write' };
    readonly stdout: boolean;
    /** What start-up does when the audit files do not reach the head kept in the store (docs/audit.md). */
    readonly headCheck: 'refuse' | 'alert';
  };
  readonly shutdownTimeoutMs: number;
  /** Login lockout thresholds (see createLoginGuard). */
  readonly loginLimits: { readonly maxFailures: number; readonly addressMaxFailures: number };
  /** HSM keys keyrings can be bound to (`hush keys use-hsm --id`); paths absolute. */
  readonly keys: { readonly hsm: readonly HsmKeyConfig[]; readonly hsmTokens: readonly HsmTokenConfig[] };
  /** Alert rules and delivery; file paths in it are absolute. */
  readonly alerts: AlertsConfig;
  /** Hosts, domains, IPs and CIDRs caller-set outbound URLs may reach (`host[:port]`, `*.domain`, `10.0.0.0/8`). */
  readonly outbound: { readonly allow: readonly string[] };
  /** Certificate inventory: lead times, probe interval, timeout and concurrency. */
  readonly certs: CertsConfig;
  /** Hush's certificate authority: the bound on issued certificates on record. */
  readonly pki: PkiConfig;
}

/** Where a server keeps its rows: a SQLite file (one node) or a PostgreSQL database (one or many nodes). */
/** DynamoDB storage: table and region; credentials come from the AWS SDK's default chain, never from config. */
export type DynamoStorageConfig = { readonly kind: 'dynamodb' } & DynamoConfig;

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
    }
  | DynamoStorageConfig;

/** An IP address, or an IP address with a prefix length (CIDR), as a trusted proxy is given. */
function isProxyAddress(s: string): boolean {
  const [addr = '', bits, ...rest] = s.split('/');
  const kind = isIP(addr);
  if (kind === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (kind === 4 ? 32 : 128);
}
