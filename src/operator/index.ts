/** Operator tasks on whole stores: backend-to-backend migration and encrypted snapshots (see docs/operator.md). */
export { type Comparison, compareBackends } from './compare-backends.js';
export {
  DEFAULT_MIGRATE_PAGE_SIZE,
  type MigrateOptions,
  type MigrateProgress,
  type MigrateResult,
  migrateBackends,
} from './migrate-backends.js';
export { CHECKPOINT_KEY } from './migrate-checkpoint.js';
export { rootKeyFromSealRow, sealKindOf, type UnsealRoot } from './root-key.js';
export type { RowSummary } from './row-digest.js';
export { readSnapshot, readSnapshotHeader } from './snapshot-read.js';
export { type RestoreResult, type RestoreSnapshotOptions, restoreSnapshot } from './snapshot-restore.js';
export { type SaveSnapshotOptions, type SnapshotSummary, saveSnapshot } from './snapshot-save.js';
export { RESTORE_MARK_KEY } from './unfinished-source.js';
