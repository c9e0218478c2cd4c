import { sha256Hex } from '../crypto/sha256.js';
import { AUDIT_RECORD_VERSION, type AuditEvent, type AuditRecord, type ChainHead } from './audit-record.js';
import { canonicalJson } from './canonical-json.js';

/** SHA-256 (hex) of the canonical JSON of `record` without its `hash` field. */
export function computeRecordHash(record: Omit<AuditRecord, 'hash'> | AuditRecord): string {
  const { hash: _ignored, ...rest } = record as AuditRecord;
  return sha256Hex(canonicalJson(rest));
}

// The canonical line of each record made by chainRecord, built from the same member texts as its hash, so a record
// is serialised once per append. Kept on the record itself as a non-enumerable symbol property (invisible to JSON,
// Object.keys and equality checks); a WeakMap would do too, but its entries cost the garbage collector on every
// request.
const LINE = Symbol('hush.audit.canonicalLine');

/**
 * Link `event` after `head`: assign the next `seq`, set `prev` to the head's hash and compute `hash`.
 * Returns the (frozen) record and the new head. The event must already be redacted.
 */
export function chainRecord(head: ChainHead, event: AuditEvent): { record: AuditRecord; head: ChainHead } {
  return isStandard(event) ? chainStandard(head, event) : chainAny(head, event);
}

/** The fields every event has; each a string, or null where the type allows. `details` is the only optional one. */
const STANDARD_FIELDS = 10;

/** True when `e` has exactly the standard fields (plus optionally `details`) with JSON-plain values. */
function isStandard(e: AuditEvent): boolean {
  let n = 0;
  for (const _ in e) n += 1;
  const d = e.details;
  return (
    n === STANDARD_FIELDS + ('details' in e ? 1 : 0) &&
    (d === undefined || (typeof d === 'object' && d !== null && !Array.isArray(d))) &&
    typeof e.time === 'string' &&
    typeof e.requestId === 'string' &&
    typeof e.operation === 'string' &&
    typeof e.outcome === 'string' &&
    stringOrNull(e.identity) &&
    stringOrNull(e.tokenAccessor) &&
    stringOrNull(e.authMethod) &&
    stringOrNull(e.sourceAddress) &&
    stringOrNull(e.path) &&
    stringOrNull(e.errorCode)
  );
}

const stringOrNull = (v: unknown): boolean => v === null || typeof v === 'string';
const json = (v: string | null): string => (v === null ? 'null' : JSON.stringify(v));

/**
 * chainAny for the shape the audit log always builds: the canonical text is written out in sorted key order and
 * the record built as one literal. Per request this is most of the audit cost, and generic key sorting plus object
 * spreads cost several times the hash itself.
 */
function chainStandard(head: ChainHead, e: AuditEvent): { record: AuditRecord; head: ChainHead } {
  const seq = head.seq + 1;
  const prev = head.hash;
  const details = e.details === undefined ? '' : `,"details":${canonicalJson(e.details)}`;
  const before = `"authMethod":${json(e.authMethod)}${details},"errorCode":${json(e.errorCode)}`;
  const after =
    `"identity":${json(e.identity)},"operation":${json(e.operation)},"outcome":${json(e.outcome)},` +
    `"path":${json(e.path)},"prev":"${prev}","requestId":${json(e.requestId)},"seq":${seq},` +
    `"sourceAddress":${json(e.sourceAddress)},"time":${json(e.time)},"tokenAccessor":${json(e.tokenAccessor)},` +
    `"v":${AUDIT_RECORD_VERSION}`;
  const hash = sha256Hex(`{${before},${after}}`);
  // Key order here is irrelevant (the canonical line is already written); `details` is added only when present,
  // because deleting a property would drop the record out of V8's fast object shape.
  const record: Record<string, unknown> = {
    time: e.time,
    requestId: e.requestId,
    identity: e.identity,
    tokenAccessor: e.tokenAccessor,
    authMethod: e.authMethod,
    sourceAddress: e.sourceAddress,
    operation: e.operation,
    path: e.path,
    outcome: e.outcome,
    errorCode: e.errorCode,
    v: AUDIT_RECORD_VERSION,
    seq,
    prev,
    hash,
  };
  if (e.details !== undefined) record['details'] = e.details;
  Object.defineProperty(record, LINE, { value: `{${before},"hash":"${hash}",${after}}` });
  return { record: Object.freeze(record) as unknown as AuditRecord, head: { seq, hash } };
}

/** Any event (extra or missing fields): canonical members by generic key sort. */
function chainAny(head: ChainHead, event: AuditEvent): { record: AuditRecord; head: ChainHead } {
  const unhashed: Record<string, unknown> = {
    ...event,
    v: AUDIT_RECORD_VERSION,
    seq: head.seq + 1,
    prev: head.hash,
  };
  // Canonical JSON member by member (sorted keys, undefined omitted), exactly as canonicalJson would write them;
  // `hash` sorts between `errorCode` and `identity`, so the line is the hashed text with it spliced in there.
  const keys = Object.keys(unhashed);
  if (keys.length > 1) keys.sort();
  const before: string[] = [];
  const after: string[] = [];
  for (const k of keys) {
    const v = unhashed[k];
    if (v === undefined || k === 'hash') continue;
    (k < 'hash' ? before : after).push(`${JSON.stringify(k)}:${canonicalMember(v)}`);
  }
  const head1 = before.join(',');
  const tail = after.join(',');
  const hash = sha256Hex(`{${head1}${head1 && tail ? ',' : ''}${tail}}`);
  unhashed['hash'] = hash;
  Object.defineProperty(unhashed, LINE, {
    value: `{${head1}${head1 ? ',' : ''}"hash":"${hash}"${tail ? ',' : ''}${tail}}`,
  });
  const record = Object.freeze(unhashed) as unknown as AuditRecord;
  return { record, head: { seq: record.seq, hash } };
}

/** canonicalJson, skipping its dispatch for the plain strings and nulls that make up most of a record. */
function canonicalMember(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : v === null ? 'null' : canonicalJson(v);
}

/** The canonical JSON line of a record (no newline): reused from chainRecord when it made the record. */
export function canonicalRecordLine(record: AuditRecord): string {
  return (record as AuditRecord & { [LINE]?: string })[LINE] ?? canonicalJson(record);
}
