import type { MessageTable } from '../message-template.js';

/** Messages raised under src/storage/ (ids are unique across every domain file). */
export const storageMessages = {
  BACKEND_URL_INVALID: {
    code: 'HUSH_E_USAGE',
    template: '{problem}; expected {backendUrlForms}',
  },
  INVALID_MEMORY_STORAGE_CONFIG: {
    code: 'HUSH_E_CONFIG',
    template: 'invalid memory storage config ({problems}); the memory backend takes no settings',
  },
  NO_DATABASE_PATH_DISPLAY: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'no database at {path} (from {display})',
    hint: 'check the path, or run `hush init` there first',
  },
  CHECK_SET_FAILED_EXPECTED_REVISION: {
    code: 'HUSH_E_CAS_CONFLICT',
    template: 'check-and-set failed for {key}: expected revision {expectedRevision}, found {actual}',
    hint: 'read it again and retry',
  },
  KEPT_CHANGING_WHILE_READ_TRIES: {
    code: 'HUSH_E_STORAGE',
    template: '{key} kept changing while it was read ({readRounds} tries)',
    hint: 'retry',
  },
  DYNAMO_DB_BACKEND_CLOSED: {
    code: 'HUSH_E_STORAGE',
    template: 'the DynamoDB backend is closed',
    hint: 'open a new store',
  },
  BATCH_OPERATIONS_LOST_RACE_OTHER: {
    code: 'HUSH_E_CAS_CONFLICT',
    template: 'a batch of {length} operations lost the race to other writers {maxRounds} times',
    hint: 'retry later',
  },
  INVALID_DYNAMODB_STORAGE_CONFIG_EXPECTED: {
    code: 'HUSH_E_CONFIG',
    template:
      'invalid dynamodb storage config ({error}); expected { kind: "dynamodb", table: "hush", region: "eu-west-1", endpoint?: "http://host:port", createTable?: boolean, requestTimeoutMs?: 1..600000, maxAttempts?: 1..20 }',
  },
  STAYED_LOCKED_UNFINISHED_BATCH_MS: {
    code: 'HUSH_E_STORAGE',
    template: '{key} stayed locked by an unfinished batch for {value} ms',
    hint: 'retry later',
  },
  STORAGE_KEY_BYTES_DYNAMO_DB: {
    code: 'HUSH_E_TOO_LARGE',
    template:
      'storage key is {length} bytes; the DynamoDB backend holds keys of at most {maxSortKeyBytes} bytes: use a shorter path',
  },
  DYNAMO_DB_KEY_SCHEMA_HUSH: {
    code: 'HUSH_E_STORAGE',
    template:
      'DynamoDB {target} has key schema {value}; Hush needs pk (String, HASH) + sk (Binary, RANGE): point "table" at a table made with: {table}',
  },
  DYNAMO_DB_NOT_EXIST: {
    code: 'HUSH_E_STORAGE',
    template: 'DynamoDB {target} does not exist',
    hint: 'create it with: {table} (or set createTable: true for development)',
  },
  MEMORY_BACKEND_CLOSED: {
    code: 'HUSH_E_STORAGE',
    template: 'the memory backend is closed',
    hint: 'open a new store',
  },
  POSTGRE_SQL_BACKEND_CLOSED: {
    code: 'HUSH_E_STORAGE',
    template: 'the PostgreSQL backend for {target} is closed',
    hint: 'open it again',
  },
  INVALID_POSTGRES_STORAGE_CONFIG_EXPECTED: {
    code: 'HUSH_E_CONFIG',
    template:
      'invalid postgres storage config ({problems}); expected { url: "postgres://user:password@host:port/db", poolSize?: 1..1000, statementTimeoutMs?: 1..600000, connectTimeoutMs?: 1..600000 }',
  },
  POSTGRE_SQL_REPORTS_CORRUPTED_DATA: {
    code: 'HUSH_E_INTEGRITY',
    template: 'PostgreSQL reports corrupted data ({code}) while {where}',
    hint: 'stop Hush and restore the database from a backup',
  },
  POSTGRE_SQL_WRITTEN_NEWER_HUSH: {
    code: 'HUSH_E_STORAGE',
    template:
      'PostgreSQL at {target} was written by a newer Hush (schema version {version}, this build knows up to {latest})',
    hint: 'upgrade Hush before opening it',
  },
  KEPT_CHANGING_UNDER_CONCURRENT_WRITERS: {
    code: 'HUSH_E_STORAGE',
    template:
      '{key} kept changing under concurrent writers ({maxAttempts} attempts) while {action} PostgreSQL at {target}',
    hint: 'retry',
  },
  SQLITE_BACKEND_CLOSED: {
    code: 'HUSH_E_STORAGE',
    template: 'the SQLite backend for {path} is closed',
    hint: 'open it again',
  },
  COULD_NOT_SWITCHED_WAL_MODE: {
    code: 'HUSH_E_STORAGE',
    template: '{path} could not be switched to WAL mode (got {mode})',
    hint: 'put it on a local filesystem',
  },
  INVALID_SQLITE_STORAGE_CONFIG_EXPECTED: {
    code: 'HUSH_E_CONFIG',
    template:
      'invalid sqlite storage config ({problems}); expected { path: string, busyTimeoutMs?: integer 0..600000 }',
  },
  SQLITE_DATABASE_DISK_IMAGE_MALFORMED: {
    code: 'HUSH_E_INTEGRITY',
    template: 'SQLite database disk image is malformed ({code}) while {where}',
    hint: 'stop Hush and restore the file from a backup',
  },
  NOT_DIRECTORY_SO_CANNOT_CREATED: {
    code: 'HUSH_E_STORAGE',
    template: '{dir} is not a directory, so {path} cannot be created there',
    hint: 'choose another storage.path',
  },
  SQLITE_DATABASE_BUT_NOT_HUSH: {
    code: 'HUSH_E_STORAGE',
    template:
      '{path} is a SQLite database but not a Hush store (it has tables {tables} and no schema_migrations)',
    hint: 'point storage.path at a new file',
  },
  WRITTEN_NEWER_HUSH_SCHEMA_VERSION: {
    code: 'HUSH_E_STORAGE',
    template:
      '{path} was written by a newer Hush (schema version {version}, this build knows up to {latest})',
    hint: 'upgrade Hush before opening it',
  },
} as const satisfies MessageTable;
