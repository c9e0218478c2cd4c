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
export type { ImportKeyOptions, ImportKeyResult } from './byok-import.js';
export type { WrappingKeyInfo, WrappingKeyOptions } from './byok-wrapping-key.js';
export type { VersionChangeOptions, VersionChangeResult } from './change-versions.js';
export type { StoreLimits } from './context.js';
export * from './create-store.js';
export type { ExportOptions, ExportResult } from './export-secrets.js';
export type { SecretRead } from './get-secret.js';
export type { ImportOptions, ImportOutcome, ImportReport } from './import-secrets.js';
export type { SealMaterialResult } from './init-store.js';
export type { ProtectorChange, RevokeResult } from './keyring-protection.js';
export type { KeyringStatus, KeysStatus } from './keys-status.js';
export type { ListEntry, ListSecretsOptions, ListSecretsResult } from './list-secrets.js';
export type { MetadataOptions } from './metadata-options.js';
export type { MoveOptions, MoveResult } from './move-secrets.js';
export type { LabelChangeOptions } from './promote-version.js';
export type { PutOptions, PutResult } from './put-secret.js';
export type { RewrapOptions, RewrapResult } from './rewrap.js';
export type { RollbackOptions } from './rollback.js';
export type { KeyringSummary } from './rotate-kek.js';
export type { RotateRootOptions } from './rotate-root.js';
export type { LockReason, SealOptions } from './seal-store.js';
export type { StoreStatus } from './store-status.js';
export type { UnsealOptions } from './unseal-store.js';
export type { UpdateMetadataOptions } from './update-metadata.js';
export type { SecretInfo } from './versions.js';
