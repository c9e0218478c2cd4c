import { openAead, sealAead } from '../../core/crypto/aead.js';
import { hushError } from '../../core/errors/index.js';
import type { SealRecord } from '../../seal/seal.js';

/**
 * What `sys/seal` holds: the seal's record (no plaintext key) and a check value, a constant encrypted under the
 * root key, so a wrong root key is detected at unseal instead of surfacing later as integrity errors.
 */
export interface SealEntry {
  readonly format: 1;
  readonly record: SealRecord;
  readonly check: string;
  readonly initializedAt: string;
  /** When the root key was last rotated. */
  readonly rotatedAt?: string;
}

const CHECK_AAD = { purpose: 'root-check' } as const;
const CHECK_PLAINTEXT = Buffer.from('hush-root-check-v1');

/** The check value for a root key. */
export function rootCheckValue(rootKey: Uint8Array): string {
  return sealAead(rootKey, CHECK_PLAINTEXT, CHECK_AAD).toString('base64');
}

/** True when `check` was made by {@link rootCheckValue} under `rootKey`. */
export function rootCheckMatches(rootKey: Uint8Array, check: string): boolean {
  try {
    return openAead(rootKey, Buffer.from(check, 'base64'), CHECK_AAD).equals(CHECK_PLAINTEXT);
  } catch {
    return false;
  }
}

/** Serialise a seal entry. */
export function encodeSealEntry(entry: SealEntry): Buffer {
  return Buffer.from(JSON.stringify(entry), 'utf8');
}

/** Parse `sys/seal`; a malformed row is an integrity failure. */
export function decodeSealEntry(bytes: Uint8Array): SealEntry {
  try {
    const entry = JSON.parse(Buffer.from(bytes).toString('utf8')) as SealEntry;
    if (entry.format === 1 && typeof entry.check === 'string' && typeof entry.record?.kind === 'string')
      return entry;
  } catch {
    // fall through to the coded error
  }
  throw hushError('SEAL_RECORD_SYS_SEAL_MALFORMED');
}
