import type { AuditEvent, AuditValue } from './audit-record.js';
import { HMAC_PREFIX, hmacField } from './hmac-field.js';

/** What hmacField returns; only a string of exactly this shape is kept as already redacted. */
const HMAC_OUTPUT = new RegExp(`^${HMAC_PREFIX}[0-9a-f]{64}$`);

/**
 * Field names whose values are never written raw. Matching is by substring, case-insensitive, so `dbPassword`,
 * `X-Authorization` and `secret_id` are all caught; over-matching (e.g. `valueBytes`) only costs readability.
 */
export const SENSITIVE_FIELD =
  /token|value|secret|passw|passphrase|authorization|cookie|credential|private.?key|api.?key|plaintext|ciphertext/i;

/** Something shaped like a Hush token anywhere in a string: the whole string is HMAC'd. */
const TOKEN_LIKE = /hush_[sbr]_[0-9A-Za-z]{20,}/;

const MAX_DEPTH = 8;

// Field names recur on every request (status, method, version...): remember each verdict, up to a bound so that
// caller-chosen names cannot grow it without limit.
const sensitiveNames = new Map<string, boolean>();
const MAX_REMEMBERED_NAMES = 1024;

function isSensitiveName(name: string): boolean {
  let verdict = sensitiveNames.get(name);
  if (verdict === undefined) {
    verdict = SENSITIVE_FIELD.test(name);
    if (sensitiveNames.size < MAX_REMEMBERED_NAMES) sensitiveNames.set(name, verdict);
  }
  return verdict;
}

/**
 * Deep-copy `value` into a JSON-safe form where every field named like a secret (see SENSITIVE_FIELD) is replaced
 * by its HMAC, and every string that contains a Hush token is HMAC'd wherever it appears. Already-HMAC'd strings
 * are kept. Bytes are HMAC'd, functions/symbols dropped, cycles and depth over 8 cut.
 *
 * @example
 * redactForAudit(key, { version: 3, newValue: 's3cret' }); // { version: 3, newValue: 'hmac-sha256:…' }
 */
export function redactForAudit(key: Uint8Array, value: unknown): AuditValue {
  return walk(key, value, false, 0, new WeakSet());
}

function walk(
  key: Uint8Array,
  v: unknown,
  sensitive: boolean,
  depth: number,
  seen: WeakSet<object>,
): AuditValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') {
    if (HMAC_OUTPUT.test(v)) return v; // already HMAC'd (exactly hmacField's shape: a prefix alone proves nothing)
    return sensitive || (v.includes('hush_') && TOKEN_LIKE.test(v)) ? hmacField(key, v) : v;
  }
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') {
    if (sensitive) return hmacField(key, String(v));
    return typeof v === 'number' && !Number.isFinite(v) ? String(v) : typeof v === 'bigint' ? String(v) : v;
  }
  if (v instanceof Uint8Array) return hmacField(key, v);
  if (v instanceof Date) return sensitive ? hmacField(key, v.toISOString()) : v.toISOString();
  if (typeof v !== 'object') return null;
  if (seen.has(v) || depth >= MAX_DEPTH) return '[truncated]';
  seen.add(v);
  try {
    if (Array.isArray(v)) return v.map((item) => walk(key, item, sensitive, depth + 1, seen));
    const out: Record<string, AuditValue> = {};
    const obj = v as Record<string, unknown>;
    for (const k of Object.keys(obj)) {
      const item = obj[k];
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
      out[k] = walk(key, item, sensitive || isSensitiveName(k), depth + 1, seen);
    }
    return out;
  } finally {
    seen.delete(v);
  }
}

/** A readable field (what investigators search by) that holds something shaped like a token: HMAC'd. */
function scrub<T extends string | null>(key: Uint8Array, v: T): T {
  // `includes` first: the regex runs only on the rare string that could hold a token.
  return typeof v === 'string' && v.includes('hush_') && TOKEN_LIKE.test(v) ? (hmacField(key, v) as T) : v;
}

/**
 * Make an event safe to write: `details` goes through {@link redactForAudit}; readable fields that contain something
 * shaped like a token (a caller's mistake) are HMAC'd too. The result holds the event fields only (a field the
 * record format does not know is dropped, as the record schema would refuse it).
 */
export function redactEvent(key: Uint8Array, event: AuditEvent): AuditEvent {
  // One literal rather than a spread and per-field writes: this runs on every request.
  const out: { -readonly [K in keyof AuditEvent]: AuditEvent[K] } = {
    time: event.time,
    requestId: scrub(key, event.requestId),
    identity: scrub(key, event.identity),
    tokenAccessor: scrub(key, event.tokenAccessor),
    authMethod: scrub(key, event.authMethod),
    sourceAddress: scrub(key, event.sourceAddress),
    operation: scrub(key, event.operation),
    path: scrub(key, event.path),
    outcome: event.outcome,
    errorCode: scrub(key, event.errorCode),
  };
  if (event.details !== undefined) {
    const d = redactForAudit(key, event.details);
    out.details = d !== null && typeof d === 'object' && !Array.isArray(d) ? d : {};
  }
  return out;
}
