import { hushError } from '../core/errors/index.js';
import {
  type ExportedPublicKey,
  exportPublicKey,
  isAsymmetric,
  isRsa,
  keySignatureScheme,
  type RsaScheme,
  type TransitKey,
  versionOf,
} from '../core/transit/index.js';
import type { SealedView, SealedViewSpec, Versioned } from '../store/sealed-view/index.js';
import { checkKeyName } from './transit-key-names.js';

/** Storage prefix of transit key records (the key name follows). */
export const TRANSIT_KEY_PREFIX = 'transit/keys/';

/**
 * Transit keys are sealed under their own keyring beside the project keyrings (`sys/keyring/@transit/v1`), so a root
 * rotation re-seals it with the others and the key material is never in storage in the clear.
 */
export const TRANSIT_VIEW: SealedViewSpec = {
  name: 'transit',
  prefixes: ['transit/'],
  keyring: { project: '@transit', environment: 'v1' },
  info: { lookup: 'hush transit lookup v1', record: 'hush transit record v1' },
};

/** Storage key of a transit key record. */
export const transitKeyKey = (name: string): string => `${TRANSIT_KEY_PREFIX}${name}`;

/** The key with its revision, or HUSH_E_NOT_FOUND saying how to create it (a deleted key is simply gone). */
export async function loadKeyRow(
  records: Pick<SealedView, 'get' | 'peek'>,
  name: string,
): Promise<Versioned<TransitKey>> {
  checkKeyName(name);
  const key = transitKeyKey(name);
  const found = records.peek<TransitKey>(key) ?? (await records.get<TransitKey>(key));
  if (!found) {
    throw hushError('NO_TRANSIT_KEY', { name });
  }
  return found;
}

/** What the API shows of a key: its rules and versions, public keys of asymmetric ones, never private material. */
export interface TransitKeyView {
  readonly name: string;
  readonly type: TransitKey['type'];
  readonly derived: boolean;
  readonly exportable: boolean;
  readonly deletionAllowed: boolean;
  readonly minDecryptionVersion: number;
  readonly minEncryptionVersion: number;
  readonly minAvailableVersion: number;
  readonly latestVersion: number;
  readonly versions: readonly {
    readonly version: number;
    readonly createdAt: string;
    /** HSM-held versions: the token and label of the key pair (never its material, which the HSM keeps). */
    readonly hsm?: { readonly token: string; readonly label: string };
  }[];
  /** HSM-held signing keys: the token rotation generates new versions in. */
  readonly hsmToken?: string;
  /** Seconds between automatic rotations. */
  readonly autoRotatePeriod?: number;
  /** RSA keys: the scheme sign and verify use when a request names none (`pss` for keys made before the field). */
  readonly signatureAlgorithm?: RsaScheme;
  /** Asymmetric keys: PEM and JWK of every available version. */
  readonly publicKeys?: readonly ExportedPublicKey[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The available versions of a key, oldest first. */
export function versionNumbers(key: TransitKey): number[] {
  return Object.keys(key.versions)
    .map(Number)
    .sort((a, b) => a - b);
}

/** PEM and JWK of every available version of an asymmetric key. */
export function publicKeysOf(key: TransitKey): ExportedPublicKey[] {
  const scheme = keySignatureScheme(key);
  return versionNumbers(key).map((v) => exportPublicKey(key.name, v, versionOf(key, v), scheme));
}

/** The API view of a key. */
export function keyView(key: TransitKey): TransitKeyView {
  const { versions: _material, ...rules } = key;
  return {
    ...rules,
    ...(isRsa(key.type) ? { signatureAlgorithm: keySignatureScheme(key) } : {}),
    versions: versionNumbers(key).map((version) => {
      const stored = key.versions[String(version)];
      return {
        version,
        createdAt: stored?.createdAt ?? '',
        ...(stored && 'hsm' in stored ? { hsm: stored.hsm } : {}),
      };
    }),
    ...(isAsymmetric(key.type) ? { publicKeys: publicKeysOf(key) } : {}),
  };
}
