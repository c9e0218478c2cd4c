import type { AadFields } from '../../core/crypto/aad.js';
import { openAead, sealAead } from '../../core/crypto/aead.js';
import { keyFingerprint } from '../../core/crypto/key-wrapper.js';
import { KEY_BYTES, wipe } from '../../core/crypto/random.js';
import { hushError } from '../../core/errors/index.js';

/**
 * Rows of the key-protection feature (BYOK). Both hold key material sealed under the root key (so root rotation
 * re-seals them) next to non-secret metadata: storage sees fingerprints, times and the public wrapping key only.
 */
export const BYOK_PREFIX = 'sys/byok/';

/** Storage key of the imported customer key of a project/environment. */
export function importedKeyKey(project: string, environment: string): string {
  return `${BYOK_PREFIX}imported/${project}/${environment}`;
}

/** Storage key of the current import wrapping key pair, per project/environment or store-wide (`undefined`). */
export function wrappingKeyKey(scope: string | undefined): string {
  return `${BYOK_PREFIX}wrapping/${scope ?? '_any'}`;
}

/** An imported customer key as stored. */
export interface ImportedKeyRecord {
  readonly kind: 'imported-key';
  readonly scope: string;
  readonly fingerprint: string;
  readonly importedAt: string;
  /** The key, sealed under the root key (base64). */
  readonly sealed: string;
}

/** An RSA import wrapping key pair as stored. */
export interface WrappingKeyRecord {
  readonly kind: 'wrapping-key';
  readonly tokenId: string;
  /** The project/environment it is for, or null for any. */
  readonly scope: string | null;
  readonly publicKeyPem: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  /** The PKCS#8 DER private key, sealed under the root key (base64). */
  readonly sealed: string;
}

/** Any row under {@link BYOK_PREFIX}. */
export type ByokRecord = ImportedKeyRecord | WrappingKeyRecord;

/** A record without its sealed part (distributes over the union, keeping `kind` as the discriminant). */
export type ByokRecordFields = ByokRecord extends infer R
  ? R extends ByokRecord
    ? Omit<R, 'sealed'>
    : never
  : never;

function aadOf(record: ByokRecordFields): AadFields {
  return record.kind === 'imported-key'
    ? { purpose: 'imported-key', scope: record.scope, fingerprint: record.fingerprint }
    : { purpose: 'byok-wrapping-key', tokenId: record.tokenId, scope: record.scope ?? '*' };
}

/** Seal `secret` under the root key into a record row. */
export function encodeByokRecord(root: Uint8Array, record: ByokRecordFields, secret: Uint8Array): Buffer {
  const sealed = sealAead(root, secret, aadOf(record)).toString('base64');
  return Buffer.from(JSON.stringify({ ...record, sealed }), 'utf8');
}

/** Parse a record row (no key needed); malformed -> HUSH_E_INTEGRITY naming the row. */
export function decodeByokRecord(key: string, bytes: Uint8Array): ByokRecord {
  try {
    const r = JSON.parse(Buffer.from(bytes).toString('utf8')) as ByokRecord;
    if ((r.kind === 'imported-key' || r.kind === 'wrapping-key') && typeof r.sealed === 'string') return r;
  } catch {
    // fall through to the coded error
  }
  throw hushError('KEY_MALFORMED', { key });
}

/** The key material of a record (wipe it after use); an imported key is checked against its fingerprint. */
export function openByokRecord(root: Uint8Array, record: ByokRecord): Buffer {
  const what =
    record.kind === 'imported-key' ? `the imported key of ${record.scope}` : 'the import wrapping key';
  const secret = openAead(root, Buffer.from(record.sealed, 'base64'), aadOf(record), what);
  if (
    record.kind === 'imported-key' &&
    (secret.length !== KEY_BYTES || keyFingerprint(secret) !== record.fingerprint)
  ) {
    wipe(secret);
    throw hushError('NOT_MATCH_FINGERPRINT', { what });
  }
  return secret;
}

/** The same record re-sealed under a new root key (root rotation). */
export function resealByokRecord(
  key: string,
  bytes: Uint8Array,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
): Buffer {
  const record = decodeByokRecord(key, bytes);
  const secret = openByokRecord(oldRoot, record);
  try {
    const { sealed: _sealed, ...rest } = record;
    return encodeByokRecord(newRoot, rest, secret);
  } finally {
    wipe(secret);
  }
}
