import type { AuditEvent, AuditValue } from './audit-record.js';
import { HMAC_PREFIX, hmacField } from './hmac-field.js';

/**
 * Field names whose values are never written raw. Matching is by substring, case-insensitive, so `dbPassword`,
 * `X-Authorization` and `secret_id` are all caught; over-matching (e.g. `valueBytes`) only costs readability.
 */
export const SENSITIVE_FIELD =
  /token|value|secret|passw|passphrase|authorization|cookie|credential|private.?key|api.?key|plaintext|ciphertext/i;

/** Something shaped like a Hush token anywhere in a string: the whole string is HMAC'd. */
const TOKEN_LIKE = /hush_[sbr]_[0-9A-Za-z]{20,}/;

const MAX_DEPTH = 8;

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
    if (v.startsWith(HMAC_PREFIX)) return v;
    return sensitive || TOKEN_LIKE.test(v) ? hmacField(key, v) : v;
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
    for (const [k, item] of Object.entries(v)) {
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
      out[k] = walk(key, item, sensitive || SENSITIVE_FIELD.test(k), depth + 1, seen);
    }
    return out;
  } finally {
    seen.delete(v);
  }
}

/** The scalar event fields that are kept readable (they are what investigators search by) but token-scrubbed. */
const SCRUBBED_FIELDS = [
  'requestId',
  'identity',
  'tokenAccessor',
  'authMethod',
  'sourceAddress',
  'operation',
  'path',
  'errorCode',
] as const;

/**
 * Make an event safe to write: `details` goes through {@link redactForAudit}; readable fields that contain something
 * shaped like a token (a caller's mistake) are HMAC'd too.
 */
export function redactEvent(key: Uint8Array, event: AuditEvent): AuditEvent {
  const out: Record<string, unknown> = { ...event };
  for (const f of SCRUBBED_FIELDS) {
    const v = event[f];
    if (typeof v === 'string' && TOKEN_LIKE.test(v)) out[f] = hmacField(key, v);
  }
  if (event.details !== undefined) {
    const d = redactForAudit(key, event.details);
    out['details'] = d !== null && typeof d === 'object' && !Array.isArray(d) ? d : {};
  }
  return out as unknown as AuditEvent;
}
