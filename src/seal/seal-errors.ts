import type { z } from 'zod';
import { KEY_BYTES } from '../core/crypto/random.js';
import { hushError } from '../core/errors/index.js';
import type { SealKind, SealRecord } from './seal.js';

/**
 * Error builders shared by every seal, so that a bad option or a damaged `sys/seal` record reads the same whichever
 * seal is configured. Messages name fields and numbers, never key material.
 */

/** One line per zod issue: `field: message` (the option name is what the operator has to fix). */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const field = issue.path.map(String).join('.');
      return field ? `${field}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/** Validate seal options at the edge; a bad option is HUSH_E_CONFIG naming every problem at once. */
export function parseSealConfig<T extends z.ZodType>(kind: SealKind, schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) {
    throw hushError('INVALID_SEAL_OPTIONS', { kind, issues: describeIssues(parsed.error.issues) });
  }
  return parsed.data;
}

/** Read a persisted seal record; a damaged or foreign record is HUSH_E_INTEGRITY (it is stored data, not input). */
export function parseSealRecord<T extends z.ZodType>(
  kind: SealKind,
  schema: T,
  record: SealRecord,
): z.output<T> {
  if (record.kind !== kind) {
    throw hushError('SEAL_RECORD_SEAL_BUT_SEAL', { kind: String(record.kind), kind2: kind });
  }
  const parsed = schema.safeParse(record);
  if (!parsed.success) {
    throw hushError('SEAL_RECORD_DAMAGED', { kind, issues: describeIssues(parsed.error.issues) });
  }
  return parsed.data;
}

/** Seals only ever protect a 256-bit root key; anything else is a programmer mistake. */
export function assertRootKey(rootKey: Uint8Array): void {
  if (rootKey.length !== KEY_BYTES) {
    throw new RangeError(`root key must be ${KEY_BYTES} bytes, got ${rootKey.length}`);
  }
}
