/**
 * A seal protects the root key at rest. At init it wraps a fresh root key and returns a record to persist next to
 * the data (never the key itself) plus any one-time material for the operator (Shamir shares, ...). To unseal, the
 * operator supplies material; the seal returns the root key or raises HUSH_E_UNSEAL_FAILED.
 */
export type SealKind = 'shamir' | 'key-file' | 'rsa' | 'pkcs11';

/** What a seal persists (JSON-safe; stored unencrypted under `sys/seal`, so it must hold no plaintext key). */
export interface SealRecord {
  readonly kind: SealKind;
  readonly [field: string]: unknown;
}

/** What the operator supplies to unseal. Each seal reads the fields it needs and reports what is missing. */
export interface UnsealMaterial {
  /** Shamir shares (base64 or hex strings as printed by init). */
  readonly shares?: readonly string[];
  /** PEM private key (RSA seal). */
  readonly privateKeyPem?: string;
  /** Passphrase for an encrypted PEM. */
  readonly passphrase?: string;
  /** PKCS#11 user PIN (local CLI; otherwise the seal reads $HUSH_PKCS11_PIN or its PIN file). */
  readonly pin?: string;
}

/** The outcome of sealing a new root key. */
export interface SealInitResult {
  readonly record: SealRecord;
  /** Material shown to the operator exactly once (e.g. shares). Never persisted by Hush. */
  readonly oneTime?: { readonly shares?: readonly string[]; readonly threshold?: number };
}

/** A root-key protection mechanism. */
export interface Seal {
  readonly kind: SealKind;
  /** Protect `rootKey`; the caller persists `record`. */
  init(rootKey: Uint8Array): Promise<SealInitResult>;
  /** Recover the root key from `record` and operator `material`. */
  unseal(record: SealRecord, material: UnsealMaterial): Promise<Buffer>;
}
