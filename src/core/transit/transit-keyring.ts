import type { ExternalKeyRef } from '../crypto/external-signer.js';
import { hushError } from '../errors/index.js';
import { isRsa, type TransitKeyType } from './key-types.js';
import { parseRsaScheme, type RsaScheme } from './signature.js';

/** One version of a transit key as stored (sealed by the service): its material, or where an HSM holds it. */
export type TransitKeyVersion =
  | {
      /** Base64 of the raw symmetric key or the PKCS#8 DER private key. */
      readonly material: string;
      readonly createdAt: string;
    }
  | {
      /** The private key lives in this HSM key pair and never leaves it. */
      readonly hsm: ExternalKeyRef;
      /** Base64 SPKI DER of its public half (kept here so verify and JWKS need no HSM round trip). */
      readonly publicKey: string;
      readonly createdAt: string;
    };

/** What a new version holds: material (base64) made by Hush, or an HSM key pair. */
export type NewVersion = string | { readonly hsm: ExternalKeyRef; readonly publicKey: string };

function storedVersion(made: NewVersion, createdAt: string): TransitKeyVersion {
  return typeof made === 'string' ? { material: made, createdAt } : { ...made, createdAt };
}

/** A named transit key with its versions and rules (the sealed record). */
export interface TransitKey {
  readonly name: string;
  readonly type: TransitKeyType;
  /** Encryption uses a per-context subkey (HKDF-SHA256 with the context as info). */
  readonly derived: boolean;
  /** The key material may be exported (set at creation only; never set or unset later). */
  readonly exportable: boolean;
  readonly deletionAllowed: boolean;
  /** Ciphertexts and signatures of older versions are refused (they stay stored until trimmed). */
  readonly minDecryptionVersion: number;
  /** Oldest version a caller may ask to encrypt or sign with; 0 means the latest only. */
  readonly minEncryptionVersion: number;
  /** Versions below this were trimmed (deleted for good). */
  readonly minAvailableVersion: number;
  readonly latestVersion: number;
  readonly versions: Readonly<Record<string, TransitKeyVersion>>;
  /** Signing keys held in an HSM: the token (`keys.hsmTokens[].id`) rotation generates new versions in. */
  readonly hsmToken?: string;
  /** Seconds between automatic rotations (0 or absent: never); the rotation job rotates keys this old. */
  readonly autoRotatePeriod?: number;
  /**
   * RSA keys: the signature scheme a sign or verify request that names none uses, and the JWKS `alg`. Set at create
   * only (signatures already published stay verifiable under the `alg` verifiers were told); absent means `pss`.
   */
  readonly signatureAlgorithm?: RsaScheme;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Settings `config` may change. */
export interface TransitKeyConfig {
  readonly minDecryptionVersion?: number;
  readonly minEncryptionVersion?: number;
  readonly deletionAllowed?: boolean;
  readonly exportable?: boolean;
  /** Seconds between automatic rotations; 0 turns it off. */
  readonly autoRotatePeriod?: number;
}

/** A new key with version 1 holding `material` (base64, or an HSM key pair). */
export function newKey(
  name: string,
  type: TransitKeyType,
  opts: {
    derived?: boolean;
    exportable?: boolean;
    hsmToken?: string;
    autoRotatePeriod?: number;
    signatureAlgorithm?: RsaScheme;
  },
  material: NewVersion,
  now: string,
): TransitKey {
  return {
    ...(opts.hsmToken !== undefined ? { hsmToken: opts.hsmToken } : {}),
    ...(opts.signatureAlgorithm !== undefined ? { signatureAlgorithm: opts.signatureAlgorithm } : {}),
    ...(opts.autoRotatePeriod ? { autoRotatePeriod: opts.autoRotatePeriod } : {}),
    name,
    type,
    derived: opts.derived === true,
    exportable: opts.exportable === true,
    deletionAllowed: false,
    minDecryptionVersion: 1,
    minEncryptionVersion: 0,
    minAvailableVersion: 1,
    latestVersion: 1,
    versions: { '1': storedVersion(material, now) },
    createdAt: now,
    updatedAt: now,
  };
}

/** The key with a new latest version holding `material`. */
export function rotatedKey(key: TransitKey, material: NewVersion, now: string): TransitKey {
  const next = key.latestVersion + 1;
  return {
    ...key,
    latestVersion: next,
    versions: { ...key.versions, [String(next)]: storedVersion(material, now) },
    updatedAt: now,
  };
}

function inRange(key: TransitKey, field: string, value: number, low: number): void {
  if (!Number.isSafeInteger(value) || value < low || value > key.latestVersion) {
    throw hushError('TRANSIT_VERSION_OUT_OF_RANGE', {
      field,
      low,
      latestVersion: key.latestVersion,
      name: key.name,
      value,
    });
  }
}

/** The key with `config` applied; every version rule is checked against the versions that exist. */
export function configuredKey(key: TransitKey, config: TransitKeyConfig, now: string): TransitKey {
  const minDecryptionVersion = config.minDecryptionVersion ?? key.minDecryptionVersion;
  const minEncryptionVersion = config.minEncryptionVersion ?? key.minEncryptionVersion;
  inRange(key, 'minDecryptionVersion', minDecryptionVersion, key.minAvailableVersion);
  if (minEncryptionVersion !== 0) inRange(key, 'minEncryptionVersion', minEncryptionVersion, 1);
  if (minEncryptionVersion !== 0 && minEncryptionVersion < minDecryptionVersion) {
    throw hushError('MIN_ENCRYPTION_VERSION_MUST_NOT', { minEncryptionVersion, minDecryptionVersion });
  }
  if (config.exportable === false && key.exportable) {
    throw hushError('KEY_EXPORTABLE_CANNOT_UNDONE_MATERIAL', { name: key.name });
  }
  // A key created non-exportable keeps that promise for life: otherwise anyone with `update` on the key could make
  // its material leave through export (issue 17: "not exportable unless the key was created exportable").
  if (config.exportable === true && !key.exportable) {
    throw hushError('KEY_NOT_CREATED_EXPORTABLE_STAYS', { name: key.name });
  }
  const period = checkAutoRotatePeriod(config.autoRotatePeriod ?? key.autoRotatePeriod ?? 0);
  const { autoRotatePeriod: _old, ...rest } = key;
  return {
    ...rest,
    ...(period > 0 ? { autoRotatePeriod: period } : {}),
    minDecryptionVersion,
    minEncryptionVersion,
    deletionAllowed: config.deletionAllowed ?? key.deletionAllowed,
    exportable: config.exportable ?? key.exportable,
    updatedAt: now,
  };
}

/**
 * The key without versions below `minAvailableVersion` (deleted for good). Only versions already refused for
 * decryption may go: `minAvailableVersion` must not exceed minDecryptionVersion (nor minEncryptionVersion when set).
 */
export function trimmedKey(key: TransitKey, minAvailableVersion: number, now: string): TransitKey {
  const ceiling =
    key.minEncryptionVersion === 0
      ? key.minDecryptionVersion
      : Math.min(key.minDecryptionVersion, key.minEncryptionVersion);
  if (
    !Number.isSafeInteger(minAvailableVersion) ||
    minAvailableVersion < key.minAvailableVersion ||
    minAvailableVersion > ceiling
  ) {
    throw hushError('TRIM_KEY_MUST_KEEP_VERSIONS', {
      name: key.name,
      minAvailableVersion: key.minAvailableVersion,
      ceiling,
      minAvailableVersion2: minAvailableVersion,
    });
  }
  const versions: Record<string, TransitKeyVersion> = {};
  for (const [v, entry] of Object.entries(key.versions))
    if (Number(v) >= minAvailableVersion) versions[v] = entry;
  return { ...key, versions, minAvailableVersion, updatedAt: now };
}

/** The version to encrypt or sign with: the latest, or `requested` when the key's rules allow it. */
export function encryptionVersion(key: TransitKey, requested?: number): number {
  if (requested === undefined || requested === 0) return key.latestVersion;
  const low = Math.max(key.minEncryptionVersion || key.latestVersion, key.minAvailableVersion);
  if (!Number.isSafeInteger(requested) || requested < low || requested > key.latestVersion) {
    throw hushError(
      'KEY_ENCRYPTS_SIGNS_VERSIONS_VERSION',
      { name: key.name, low, latestVersion: key.latestVersion, requested },
      { minVersion: low, latestVersion: key.latestVersion },
    );
  }
  return requested;
}

/** Check that data of `version` may be decrypted or verified; HUSH_E_TRANSIT_VERSION otherwise. */
export function checkDecryptionVersion(key: TransitKey, version: number): void {
  const low = Math.max(key.minDecryptionVersion, key.minAvailableVersion);
  if (version < low || version > key.latestVersion) {
    throw hushError(
      'TRANSIT_INPUT_VERSION_OUT_OF_RANGE',
      {
        name: key.name,
        low,
        latestVersion: key.latestVersion,
        version,
        value: version < low ? ' (below the minimum: rewrap data before raising it)' : '',
      },
      { minVersion: low, latestVersion: key.latestVersion, version },
    );
  }
}

/** Shortest auto-rotation period (Vault's floor is an hour; tests configure the job's clock instead). */
export const MIN_AUTO_ROTATE_SECONDS = 3600;

/** Throw HUSH_E_INVALID_INPUT unless `period` is 0 (off) or a whole number of seconds of at least an hour. */
export function checkAutoRotatePeriod(period: number): number {
  if (!Number.isSafeInteger(period) || period < 0 || (period > 0 && period < MIN_AUTO_ROTATE_SECONDS)) {
    throw hushError('TRANSIT_AUTO_ROTATE_PERIOD_INVALID', { period, min: MIN_AUTO_ROTATE_SECONDS });
  }
  return period;
}

/** True when `key` has an auto-rotation period and its latest version is at least that old at `now`. */
export function autoRotationDue(key: TransitKey, now: Date): boolean {
  if (!key.autoRotatePeriod) return false;
  const latest = key.versions[String(key.latestVersion)];
  if (!latest) return false;
  return now.getTime() - Date.parse(latest.createdAt) >= key.autoRotatePeriod * 1000;
}

/**
 * The signature scheme asked for at create: undefined when none was (the key then signs with `pss`), HUSH_E_INVALID_INPUT
 * for an unknown one, HUSH_E_TRANSIT_KEY_TYPE on a key that is not RSA (its signatures have one scheme only).
 */
export function checkSignatureAlgorithm(
  type: TransitKeyType,
  name: string,
  scheme: string | undefined,
): RsaScheme | undefined {
  if (scheme === undefined) return undefined;
  const parsed = parseRsaScheme(scheme);
  if (!isRsa(type)) throw hushError('TRANSIT_SIGNATURE_ALGORITHM_NEEDS_RSA', { name, type });
  return parsed;
}

/** The RSA scheme a request naming none signs and verifies with: the key's, `pss` for records made before it. */
export function keySignatureScheme(key: Pick<TransitKey, 'signatureAlgorithm'>): RsaScheme {
  return key.signatureAlgorithm ?? 'pss';
}
