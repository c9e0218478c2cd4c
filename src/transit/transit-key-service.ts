import { hushError } from '../core/errors/index.js';
import {
  autoRotationDue,
  checkAutoRotatePeriod,
  checkSignatureAlgorithm,
  configuredKey,
  type ExportedPublicKey,
  exportPublicKey,
  generateMaterial,
  isAsymmetric,
  keySignatureScheme,
  type NewVersion,
  newKey,
  parseKeyType,
  requireUse,
  rotatedKey,
  type TransitKey,
  type TransitKeyConfig,
  trimmedKey,
  versionOf,
} from '../core/transit/index.js';
import type { HsmSigner } from '../ports/hsm-signer-port.js';
import { retryCas, type SealedView } from '../store/sealed-view/index.js';
import { hsmVersion } from './transit-hsm-version.js';
import { checkKeyName } from './transit-key-names.js';
import {
  keyView,
  loadKeyRow,
  TRANSIT_KEY_PREFIX,
  type TransitKeyView,
  transitKeyKey,
  versionNumbers,
} from './transit-key-store.js';

/** Input of {@link TransitKeyService.create}. */
export interface CreateKeyInput {
  readonly type: string;
  /** Per-context subkeys (aes256-gcm96, chacha20-poly1305). */
  readonly derived?: boolean;
  /** The material may be exported later; without it, never. */
  readonly exportable?: boolean;
  /**
   * Keep the private key in an HSM token (`keys.hsmTokens[].id`): generated there (every rotation makes a new key
   * pair), or, with `label`, version 1 is the existing key pair of that label.
   */
  readonly hsm?: { readonly token: string; readonly label?: string };
  /** Seconds between automatic rotations (0 or absent: never; at least an hour). */
  readonly autoRotatePeriod?: number;
  /** RSA keys only: `pss` (default) or `pkcs1v15`, the scheme of requests naming none and the JWKS `alg`. */
  readonly signatureAlgorithm?: string;
}

/** Exported key material of one version (only for keys created exportable). */
export interface ExportedKeyVersion {
  readonly version: number;
  /** Base64: the raw symmetric key, or the PKCS#8 DER private key of asymmetric types. */
  readonly key: string;
}

/** Transit key management: create, read, list, rotate, configure, trim, export, delete. */
export function createTransitKeyService(deps: {
  readonly records: SealedView;
  readonly clock: () => Date;
  readonly hsm?: HsmSigner;
}) {
  const { records } = deps;
  const now = () => deps.clock().toISOString();

  /** Material of version `version` of key `name`: made here, or a key pair generated in (or found on) the HSM. */
  async function makeVersion(
    key: Pick<TransitKey, 'name' | 'type' | 'hsmToken'>,
    version: number,
    label?: string,
  ) {
    if (key.hsmToken !== undefined) return hsmVersion(deps.hsm, key, version, label);
    const material = await generateMaterial(key.type);
    const text = material.toString('base64');
    material.fill(0);
    return text;
  }

  /** An imported key pair must not already sign for another transit key (its caller would sign as that key). */
  async function refuseBoundLabel(token: string, label: string) {
    for (const key of await records.keys(TRANSIT_KEY_PREFIX)) {
      const row = await records.get<TransitKey>(key);
      const bound = Object.values(row?.value.versions ?? {}).some(
        (v) => 'hsm' in v && v.hsm.token === token && v.hsm.label === label,
      );
      if (bound && row) {
        throw hushError('TRANSIT_HSM_LABEL_TAKEN', { label, token, owner: `transit key ${row.value.name}` });
      }
    }
  }

  /** Apply `change` to the key with check-and-set, retrying when another writer came first. */
  async function update(name: string, change: (key: TransitKey) => TransitKey | Promise<TransitKey>) {
    return retryCas(async () => {
      const row = await loadKeyRow(records, name);
      const next = await change(row.value);
      await records.batch([
        { op: 'put', key: transitKeyKey(name), value: next, expectedRevision: row.revision },
      ]);
      return keyView(next);
    });
  }

  return {
    /** Create key `name` with version 1 (HUSH_E_ALREADY_EXISTS when it exists). */
    async create(name: string, input: CreateKeyInput): Promise<TransitKeyView> {
      checkKeyName(name);
      const type = parseKeyType(input.type);
      if (input.derived) requireUse(type, 'derive', name);
      if (input.hsm && (input.exportable || input.derived)) throw hushError('TRANSIT_HSM_KEY_NOT_EXPORTABLE');
      const autoRotatePeriod = checkAutoRotatePeriod(input.autoRotatePeriod ?? 0);
      const signatureAlgorithm = checkSignatureAlgorithm(type, name, input.signatureAlgorithm);
      const hsmToken = input.hsm?.token;
      if (input.hsm?.label !== undefined) await refuseBoundLabel(input.hsm.token, input.hsm.label);
      const made: NewVersion = await makeVersion(
        { name, type, ...(hsmToken ? { hsmToken } : {}) },
        1,
        input.hsm?.label,
      );
      const key = newKey(
        name,
        type,
        {
          ...(input.derived ? { derived: true } : {}),
          ...(input.exportable ? { exportable: true } : {}),
          autoRotatePeriod,
          ...(hsmToken ? { hsmToken } : {}),
          ...(signatureAlgorithm ? { signatureAlgorithm } : {}),
        },
        made,
        now(),
      );
      try {
        await records.batch([{ op: 'put', key: transitKeyKey(name), value: key, expectedRevision: 0 }]);
      } catch (err) {
        if ((err as { code?: unknown }).code === 'HUSH_E_CAS_CONFLICT')
          throw hushError('TRANSIT_KEY_ALREADY_EXISTS', { name });
        throw err;
      }
      return keyView(key);
    },
    async get(name: string): Promise<TransitKeyView> {
      return keyView((await loadKeyRow(records, name)).value);
    },
    /** Every key name, sorted. */
    async list(): Promise<string[]> {
      return (await records.keys(TRANSIT_KEY_PREFIX)).map((k) => k.slice(TRANSIT_KEY_PREFIX.length)).sort();
    },
    /** Add a new latest version; older ones keep decrypting and verifying until trimmed or refused. */
    rotate: (name: string) =>
      update(name, async (key) => rotatedKey(key, await makeVersion(key, key.latestVersion + 1), now())),
    /**
     * Rotate key `name` when its auto-rotation period has passed since its latest version at `at`; undefined when it
     * is not due. Checked again under check-and-set, so two leaders (or a retry) never rotate one period twice.
     */
    rotateIfDue: (name: string, at: Date) =>
      retryCas(async () => {
        const row = await loadKeyRow(records, name);
        if (!autoRotationDue(row.value, at)) return undefined;
        const next = rotatedKey(
          row.value,
          await makeVersion(row.value, row.value.latestVersion + 1),
          at.toISOString(),
        );
        await records.batch([
          { op: 'put', key: transitKeyKey(name), value: next, expectedRevision: row.revision },
        ]);
        return keyView(next);
      }),
    /** Change minimum versions, deletion and export flags. */
    configure: (name: string, config: TransitKeyConfig) =>
      update(name, (key) => configuredKey(key, config, now())),
    /** Delete versions below `minAvailableVersion` for good. */
    trim: (name: string, minAvailableVersion: number) =>
      update(name, (key) => trimmedKey(key, minAvailableVersion, now())),
    /** The material of every available version (or one), for exportable keys only. */
    async export(name: string, version?: number): Promise<ExportedKeyVersion[]> {
      const key = (await loadKeyRow(records, name)).value;
      if (!key.exportable) {
        throw hushError('TRANSIT_KEY_NOT_CREATED_EXPORTABLE', { name });
      }
      const wanted = version === undefined ? versionNumbers(key) : [version];
      return wanted.map((v) => {
        const stored = key.versions[String(v)];
        if (!stored || !('material' in stored)) throw hushError('TRANSIT_KEY_NO_VERSION', { name, v });
        return { version: v, key: stored.material };
      });
    },
    /**
     * The JWKS of a signing key: the versions that still verify. Served without a token, so any other key answers
     * exactly as a missing one (an anonymous caller learns neither that it exists nor its type).
     */
    async jwks(name: string): Promise<{ keys: ExportedPublicKey['jwk'][] }> {
      const key = (await loadKeyRow(records, name)).value;
      if (!isAsymmetric(key.type)) throw hushError('NO_TRANSIT_KEY', { name });
      const low = Math.max(key.minDecryptionVersion, key.minAvailableVersion);
      return {
        keys: versionNumbers(key)
          .filter((v) => v >= low)
          .map((v) => exportPublicKey(key.name, v, versionOf(key, v), keySignatureScheme(key)).jwk),
      };
    },
    /** Delete a key whose `deletionAllowed` is set (everything encrypted under it becomes unreadable). */
    async remove(name: string): Promise<void> {
      await retryCas(async () => {
        const row = await loadKeyRow(records, name);
        if (!row.value.deletionAllowed) {
          throw hushError('TRANSIT_KEY_NOT_ALLOW_DELETION', { name });
        }
        await records.batch([{ op: 'delete', key: transitKeyKey(name), expectedRevision: row.revision }]);
      });
    },
  };
}

/** The transit key service. */
export type TransitKeyService = ReturnType<typeof createTransitKeyService>;
