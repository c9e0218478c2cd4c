import { z } from 'zod';

/** What happened to the request. */
export const AUDIT_OUTCOMES = ['allowed', 'denied', 'error', 'requested'] as const;
/**
 * `allowed`: performed; `denied`: refused by authentication or policy; `error`: failed for another reason;
 * `requested`: a write about to run (written before it; its outcome record names it in `details.requestSeq`).
 */
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** A JSON value that may appear in an audit record's `details`. */
export type AuditValue = string | number | boolean | null | AuditValue[] | { [key: string]: AuditValue };

/** Current record format version. */
export const AUDIT_RECORD_VERSION = 1;

/** The `prev` of the first record of a chain: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/** One request, as the audit log records it (before chaining). Never holds a token or secret value. */
export interface AuditEvent {
  /** ISO-8601 UTC instant the record was written. */
  readonly time: string;
  readonly requestId: string;
  /** Who asked, e.g. `user:amy` or `approle:ci`; null when unauthenticated. */
  readonly identity: string | null;
  /** Accessor of the token used (never the token itself). */
  readonly tokenAccessor: string | null;
  /** e.g. `token`, `approle`, `userpass`. */
  readonly authMethod: string | null;
  readonly sourceAddress: string | null;
  /** e.g. `secret.read`, `auth.login`, `policy.write`. */
  readonly operation: string;
  readonly path: string | null;
  readonly outcome: AuditOutcome;
  /** The HUSH_E_* code when the request failed. */
  readonly errorCode: string | null;
  /** Extra, operation-specific fields; sensitive ones are HMAC'd (see redactForAudit). */
  readonly details?: Readonly<Record<string, AuditValue>>;
}

/** A chained audit record as written to sinks. */
export interface AuditRecord extends AuditEvent {
  readonly v: number;
  /** 1 for the first record of the chain, +1 for each following record. */
  readonly seq: number;
  /** `hash` of the previous record (GENESIS_HASH for seq 1). */
  readonly prev: string;
  /** SHA-256 (hex) of the canonical JSON of this record without `hash`. */
  readonly hash: string;
}

/** The position of the newest record of a chain: what the next record links to. */
export interface ChainHead {
  readonly seq: number;
  readonly hash: string;
}

/** The head of an empty chain. */
export const GENESIS_HEAD: ChainHead = Object.freeze({ seq: 0, hash: GENESIS_HASH });

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const nullableString = z.string().nullable();
const auditValue: z.ZodType<AuditValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(auditValue),
    z.record(z.string(), auditValue),
  ]),
);

/** Shape of a stored record; used by readers and the verifier to call a line malformed. */
export const auditRecordSchema = z.strictObject({
  v: z.number().int().positive(),
  seq: z.number().int().positive(),
  prev: hex64,
  hash: hex64,
  time: z.string(),
  requestId: z.string(),
  identity: nullableString,
  tokenAccessor: nullableString,
  authMethod: nullableString,
  sourceAddress: nullableString,
  operation: z.string(),
  path: nullableString,
  outcome: z.enum(AUDIT_OUTCOMES),
  errorCode: nullableString,
  details: z.record(z.string(), auditValue).optional(),
});

/** Parse one JSONL line into a record; returns a reason instead when it is not valid JSON or not a record. */
export function parseAuditLine(
  text: string,
): { ok: true; record: AuditRecord } | { ok: false; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'the line is not valid JSON' };
  }
  const r = auditRecordSchema.safeParse(json);
  if (r.success) return { ok: true, record: r.data };
  const issue = r.error.issues[0];
  return {
    ok: false,
    reason: `not an audit record: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
  };
}
