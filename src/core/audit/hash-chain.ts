import { createHash } from 'node:crypto';
import { AUDIT_RECORD_VERSION, type AuditEvent, type AuditRecord, type ChainHead } from './audit-record.js';
import { canonicalJson } from './canonical-json.js';

/** SHA-256 (hex) of the canonical JSON of `record` without its `hash` field. */
export function computeRecordHash(record: Omit<AuditRecord, 'hash'> | AuditRecord): string {
  const { hash: _ignored, ...rest } = record as AuditRecord;
  return createHash('sha256').update(canonicalJson(rest), 'utf8').digest('hex');
}

/**
 * Link `event` after `head`: assign the next `seq`, set `prev` to the head's hash and compute `hash`.
 * Returns the record and the new head. The event must already be redacted.
 */
export function chainRecord(head: ChainHead, event: AuditEvent): { record: AuditRecord; head: ChainHead } {
  const unhashed = { ...event, v: AUDIT_RECORD_VERSION, seq: head.seq + 1, prev: head.hash };
  const hash = computeRecordHash(unhashed);
  const record: AuditRecord = { ...unhashed, hash };
  return { record, head: { seq: record.seq, hash } };
}
