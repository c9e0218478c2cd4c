import { z } from 'zod';
import { hushError } from '../../core/errors/index.js';
import { configProblems } from '../backend-helpers.js';

/** How long one HTTP attempt may take before the SDK gives up on it, unless configured. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
/** SDK attempts per request (1 = no retry) before a throttle or network failure becomes HUSH_E_STORAGE. */
export const DEFAULT_MAX_ATTEMPTS = 3;

/**
 * The DynamoDB backend's configuration; unknown keys are errors so typos do not pass silently. Credentials are not
 * part of it: the AWS SDK's default chain supplies them (environment, shared profile, instance or task role).
 */
export const dynamoStorageConfigSchema = z.strictObject({
  kind: z.literal('dynamodb'),
  /** Table name (3-255 characters of a-z, A-Z, 0-9, `_`, `-`, `.`). */
  table: z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/, 'must be 3-255 characters of letters, digits, _ - or .'),
  /** AWS region, e.g. eu-west-1. */
  region: z.string().regex(/^[a-z0-9-]{2,40}$/, 'must be an AWS region name such as eu-west-1'),
  /** Endpoint override (DynamoDB Local, dynalite, a VPC endpoint), e.g. http://127.0.0.1:8000. */
  endpoint: z
    .string()
    .refine((u) => /^https?:\/\/[^/]/.test(u) && URL.canParse(u), { message: 'must be an http(s):// URL' })
    .optional(),
  /** Create the table (on-demand billing) when it is missing: for development; production tables are made by IaC. */
  createTable: z.boolean().optional(),
  /** Per-attempt HTTP timeout in milliseconds. */
  requestTimeoutMs: z.number().int().min(1).max(600_000).optional(),
  /** SDK attempts per request, including the first (throttling and network errors are retried). */
  maxAttempts: z.number().int().min(1).max(20).optional(),
});

/** Configuration as written by a user (optional fields may be absent). */
export type DynamoConfigInput = z.input<typeof dynamoStorageConfigSchema>;

/** Validated configuration with defaults applied. */
export interface DynamoConfig {
  readonly table: string;
  readonly region: string;
  readonly endpoint?: string;
  readonly createTable: boolean;
  readonly requestTimeoutMs: number;
  readonly maxAttempts: number;
  /** `table <name> in <region>[ at <endpoint>]`, for messages. */
  readonly target: string;
}

/** Validate a DynamoDB storage config once, at the edge; throws HUSH_E_CONFIG with a one-line message. */
export function parseDynamoConfig(input: unknown): DynamoConfig {
  const parsed = dynamoStorageConfigSchema.safeParse(input);
  if (!parsed.success) {
    throw hushError('INVALID_DYNAMODB_STORAGE_CONFIG_EXPECTED', { error: configProblems(parsed.error) });
  }
  const d = parsed.data;
  const endpoint = d.endpoint === undefined ? undefined : new URL(d.endpoint).origin;
  return Object.freeze({
    table: d.table,
    region: d.region,
    ...(endpoint === undefined ? {} : { endpoint }),
    createTable: d.createTable ?? false,
    requestTimeoutMs: d.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    maxAttempts: d.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    target: `table ${d.table} in ${d.region}${endpoint === undefined ? '' : ` at ${endpoint}`}`,
  });
}
