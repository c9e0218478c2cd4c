import type { MessageTable } from '../message-template.js';

/** Messages raised under src/operator/ (ids are unique across every domain file). */
export const operatorMessages = {
  VERIFICATION_FAILED_SOURCE_CHANGED_DURING: {
    code: 'HUSH_E_INTEGRITY',
    template:
      'verification failed: the source {from} changed during the copy (source {rows} rows sha256 {sha256}, target {rows2} rows sha256 {sha2562}; {differenceCount} keys differ: {listed}{more})',
    hint: 'stop every writer to the source (servers, CLI), then rerun the same command: it re-copies the differing keys and verifies again',
  },
  TARGET_CHANGED_UNDER_MIGRATION_ANOTHER: {
    code: 'HUSH_E_CAS_CONFLICT',
    template: 'the target {to} changed under the migration (another migration or a writer is using it)',
    hint: 'stop it, then rerun this command to resume',
  },
  MIGRATION_CHECKPOINT_MALFORMED: {
    code: 'HUSH_E_INTEGRITY',
    template:
      "the target's migration checkpoint ({checkpointKey}) is malformed; empty the target and migrate again",
  },
  SOURCE_TARGET_UNFINISHED_MIGRATION_HOLDS: {
    code: 'HUSH_E_USAGE',
    template:
      'the source {from} is the target of an unfinished migration (it holds {checkpointKey}); finish that migration first',
  },
  SOURCE_TARGET_UNFINISHED_RESTORE_HOLDS: {
    code: 'HUSH_E_USAGE',
    template:
      'the source {from} is the target of an unfinished snapshot restore (it holds {markKey}); run that restore again with --force first',
  },
  SOURCE_HOLDS_NO_ROWS: {
    code: 'HUSH_E_NOT_INITIALIZED',
    template: 'the source {from} holds no rows',
    hint: 'check --from (it should name an initialised store)',
  },
  TARGET_HOLDS_UNFINISHED_MIGRATION_ANOTHER: {
    code: 'HUSH_E_ALREADY_EXISTS',
    template: 'the target {to} holds an unfinished migration from another source ({sourceDisplay})',
    hint: 'rerun that migration, or choose an empty target',
  },
  TARGET_NOT_EMPTY_ROWS_HOLDS: {
    code: 'HUSH_E_ALREADY_EXISTS',
    template:
      'the target {to} is not empty ({rows} rows) and holds no migration checkpoint from this source; migrate into an empty target (a new database, schema or data dir)',
  },
  SEAL_KIND_MISMATCH: {
    code: 'HUSH_E_CONFIG',
    template: 'the store was sealed with the {kind} seal, not {kind2}',
    hint: 'supply {kind} unseal material',
  },
  UNSEAL_MATERIAL_RECOVERED_KEY_NOT: {
    code: 'HUSH_E_UNSEAL_FAILED',
    template: 'the unseal material recovered a key that does not belong to this store',
    hint: 'supply the material printed when this store was initialised or last rotated',
  },
  SOURCE_CHANGED_WHILE_SNAPSHOT_TAKEN: {
    code: 'HUSH_E_INTEGRITY',
    template:
      'the source changed while the snapshot was taken (read {rows} rows, now {rows2}; checksums differ)',
    hint: 'stop every writer to the source (servers, CLI), then save again',
  },
  SNAPSHOT_TRUNCATED_ENDS_INSIDE_BYTES: {
    code: 'HUSH_E_INTEGRITY',
    template: 'snapshot {file} is truncated: it ends inside {where} ({remaining} of {n} bytes present)',
    hint: 'use an intact copy',
  },
  SNAPSHOT_SHRANK_WHILE_BEING_READ: {
    code: 'HUSH_E_INTEGRITY',
    template: 'snapshot {file} shrank while being read',
  },
  SNAPSHOT_CLAIMS_BYTES_MORE_THAN: {
    code: 'HUSH_E_INTEGRITY',
    template: 'snapshot {file}: {where} claims {n} bytes (more than {maxFieldBytes}); the file is corrupt',
  },
  HEADER_SNAPSHOT_MALFORMED_FORMAT_EXPECTED: {
    code: 'HUSH_E_INTEGRITY',
    template:
      'the header of snapshot {file} is malformed (format 1 expected); the file is corrupt or not a Hush snapshot',
  },
  SNAPSHOT_ROW_PAST_CHUNK_END: {
    code: 'HUSH_E_INTEGRITY',
    template: "{where} has a row that runs past the chunk's end; the file is corrupt",
  },
  NOT_HUSH_SNAPSHOT_NOT_START: {
    code: 'HUSH_E_INVALID_INPUT',
    template: '{file} is not a Hush snapshot (it does not start with {snapshotMagic})',
    hint: 'check --file',
  },
  SNAPSHOT_TRUNCATED_ENDS_AFTER_CHUNK: {
    code: 'HUSH_E_INTEGRITY',
    template: 'snapshot {file} is truncated: it ends after chunk {index} without its final chunk',
    hint: 'use an intact copy',
  },
  SNAPSHOT_UNEXPECTED_BYTES_AFTER_FINAL: {
    code: 'HUSH_E_INTEGRITY',
    template: 'snapshot {file} has {remaining} unexpected bytes after its final chunk {index}',
    hint: 'use an intact copy',
  },
  SNAPSHOT_ROWS_NOT_ADD_UP: {
    code: 'HUSH_E_INTEGRITY',
    template:
      'snapshot {file} rows do not add up: {rows} rows read, the trailer says {rows2} (checksums {value})',
    hint: 'use an intact copy',
  },
  SNAPSHOT_FINAL_CHUNK_HOLDS_NO: {
    code: 'HUSH_E_INTEGRITY',
    template: 'snapshot {file} final chunk {index} holds no valid trailer',
  },
  TARGET_NOT_EMPTY_ROWS: {
    code: 'HUSH_E_ALREADY_EXISTS',
    template: 'the target {label} is not empty ({existing} rows)',
    hint: "restore into an empty store, or pass --force to replace its rows with the snapshot's",
  },
  AFTER_RESTORE_TARGET_HOLDS_ROWS: {
    code: 'HUSH_E_INTEGRITY',
    template:
      'after the restore the target {label} holds {rows} rows, the snapshot {rows2} (checksums {value}); another writer changed it during the restore: stop it and restore again with --force',
  },
  SOURCE_HOLDS_NO_STORE_NO: {
    code: 'HUSH_E_NOT_INITIALIZED',
    template: 'the source holds no store (no seal record)',
    hint: 'check --from',
  },
  SNAPSHOT_CHANGED_DURING_RESTORE: {
    code: 'HUSH_E_INTEGRITY',
    template:
      'snapshot {file} changed while it was restored into {label} (chunk {index} differs from the checked file)',
    hint: 'leave the file alone during a restore, then run the restore again with --force',
  },
  SNAPSHOT_FILE_MISSING: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'cannot read the snapshot {file} ({code})',
    hint: 'check --file',
  },
  SNAPSHOT_FILE_UNREADABLE: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'cannot read the snapshot {file} ({code})',
    hint: 'check --file',
  },
} as const satisfies MessageTable;
