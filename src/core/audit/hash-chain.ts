import { createHash } from 'node:crypto';
import { AUDIT_RECORD_VERSION, type AuditEvent, type AuditRecord, type ChainHead } from './audit-record.js';
import { canonicalJson } from './canonical-json.js';

/** SHA-256 (hex) of the canonical JSON of `record` without its `hash` field. */
export function computeRecordHash(record: Omit<AuditRecord, 'hash'> | AuditRecord): string {
  const { hash: _ignored, ...rest } = record as AuditRecord;
  return createHash('sha256').update(canonicalJson(rest), 'utf8').digest('hex');
}

// The canonical line of each record made by chainRecord, built from the same member texts as its hash, so a record
// is serialised once per append. Weakly held: it goes when the record does.
const lines = new WeakMap<AuditRecord, string>();

/**
 * Link `event` after `head`: assign the next `seq`, set `prev` to the head's hash and compute `hash`.
 * Returns the (frozen) record and the new head. The event must already be redacted.
 */
export function chainRecord(head: ChainHead, event: AuditEvent): { record: AuditRecord; head: ChainHead } {
  const unhashed: Record<string, unknown> = {
    ...event,
    v: AUDIT_RECORD_VERSION,
    seq: head.seq + 1,
    prev: head.hash,
  };
  // Canonical JSON member by member (sorted keys, undefined omitted), exactly as canonicalJson would write them.
  const keys = Object.keys(unhashed)
    .filter((k) => k !== 'hash' && unhashed[k] !== undefined)
    .sort();
  const members = keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(unhashed[k])}`);
  const hash = createHash('sha256')
    .update(`{${members.join(',')}}`, 'utf8')
    .digest('hex');
  const at = keys.findIndex((k) => k > 'hash');
  members.splice(at === -1 ? members.length : at, 0, `"hash":"${hash}"`);
  const record = Object.freeze({ ...unhashed, hash }) as unknown as AuditRecord;
  lines.set(record, `{${members.join(',')}}`);
  return { record, head: { seq: record.seq, hash } };
}

/** The canonical JSON line of a record (no newline): reused from chainRecord when it made the record. */
export function canonicalRecordLine(record: AuditRecord): string {
  return lines.get(record) ?? canonicalJson(record);
}
