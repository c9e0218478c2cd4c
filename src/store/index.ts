export type { KeyWrapper } from '../core/crypto/key-wrapper.js';
export type { DocumentFormat } from '../core/secrets/document-codec.js';
export type {
  VersionInfo,
  VersionLabel,
  VersionLabels,
  VersionState,
} from '../core/secrets/secret-metadata.js';
export type { SecretValue } from '../core/secrets/value-codec.js';
export type { VersionSelector } from '../core/secrets/version-rules.js';
export type { UnsealMaterial } from '../seal/seal.js';
export type { StoreLimits } from './context.js';
export * from './create-store.js';
export type { ImportKeyOptions, ImportKeyResult } from './keys/byok-import.js';
export type { WrappingKeyInfo, WrappingKeyOptions } from './keys/byok-wrapping-key.js';
export type { ProtectorChange, RevokeResult } from './keys/keyring-protection.js';
export type { KeyringStatus, KeysStatus } from './keys/keys-status.js';
export type { RewrapOptions, RewrapResult } from './keys/rewrap.js';
export type { KeyringSummary } from './keys/rotate-kek.js';
export type { SealMaterialResult } from './seal/init-store.js';
export type { RotateRootOptions } from './seal/rotate-root.js';
export type { LockReason, SealOptions } from './seal/seal-store.js';
export type { StoreStatus } from './seal/store-status.js';
export type { UnsealOptions } from './seal/unseal-store.js';
export type { VersionChangeOptions, VersionChangeResult } from './secrets/change-versions.js';
export type { ExportOptions, ExportResult } from './secrets/export-secrets.js';
export type { SecretRead } from './secrets/get-secret.js';
export type { ImportOptions, ImportOutcome, ImportReport } from './secrets/import-secrets.js';
export type { ListEntry, ListSecretsOptions, ListSecretsResult } from './secrets/list-secrets.js';
export type { MetadataOptions } from './secrets/metadata-options.js';
export type { MoveOptions, MoveResult } from './secrets/move-secrets.js';
export type { LabelChangeOptions } from './secrets/promote-version.js';
export type { PutOptions, PutResult } from './secrets/put-secret.js';
export type { RollbackOptions } from './secrets/rollback.js';
export type { UpdateMetadataOptions } from './secrets/update-metadata.js';
export type { SecretInfo } from './secrets/versions.js';
