import type { MessageTable } from '../message-template.js';

/** Messages raised under src/store/ (ids are unique across every domain file). */
export const storeMessages = {
  COULD_NOT_CREATE_KEYRING_UNDER: {
    code: 'HUSH_E_STORAGE',
    template: 'could not create the keyring of {scope} under contention',
    hint: 'retry',
  },
  ROOT_KEY_ROTATED_STORE_RE: {
    code: 'HUSH_E_SEALED',
    template: 'the root key was rotated or the store re-initialised by another process',
    hint: 'run `hush unseal` again',
  },
  IMPORT_WRAPPING_KEY_NOT_FOUND: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'no {value} for {text} (it was used already, or never created)',
    hint: 'run `hush keys import-wrapping-key --project {project} --env {environment}` and wrap your key with the new public key',
  },
  IMPORT_TOKEN_EXPIRED_TOKENS_LAST: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'import token {tokenId} expired at {expiresAt} (tokens last 24 h)',
    hint: 'run `hush keys import-wrapping-key --project {project} --env {environment}` and wrap your key with the new public key',
  },
  COULD_NOT_UNWRAP_KEY_IMPORT: {
    code: 'HUSH_E_INVALID_INPUT',
    template:
      "could not unwrap the key with import token {tokenId}: expected a 384-byte RSAES-OAEP-SHA-256 ciphertext made with that token's public key, found {length} bytes that do not decrypt; wrap the key again with `openssl pkeyutl -encrypt` (see docs/keys.md)",
  },
  UNWRAPPED_KEY_MATERIAL_BYTES_EXPECTED: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'the unwrapped key material is {length} bytes, expected {keyBytes} (AES-256)',
    hint: 'generate it with `openssl rand -out key.bin 32`',
  },
  KEYRING_TEXT_VANISHED: {
    code: 'HUSH_E_STORAGE',
    template: 'the keyring of {text} vanished',
    hint: 'retry',
  },
  KEY_MALFORMED: {
    code: 'HUSH_E_INTEGRITY',
    template: '{key} is malformed',
    hint: 'restore it from a backup',
  },
  NOT_MATCH_FINGERPRINT: {
    code: 'HUSH_E_INTEGRITY',
    template: '{what} does not match its fingerprint',
    hint: 'restore it from a backup',
  },
  IMPORT_NEEDS_PROJECT_ENVIRONMENT_PREFIX: {
    code: 'HUSH_E_INVALID_ADDRESS',
    template: 'import needs a project/environment prefix, found "{parsedPrefix}"; e.g. {project}/dev',
  },
  STORE_ALREADY_INITIALISED: {
    code: 'HUSH_E_ALREADY_INITIALIZED',
    template: 'the store is already initialised',
    hint: 'run `hush unseal` to open it (init never overwrites an existing store)',
  },
  EXPECTED_PROTECTOR_ROOT_HSM_ID: {
    code: 'HUSH_E_USAGE',
    template:
      'expected protector "root" or "hsm:<id>" (id: {source}), found "{protector}"; imported keys are set with `hush keys import`',
  },
  NO_KEYRING_YET_NOTHING_EVER: {
    code: 'HUSH_E_NOT_FOUND',
    template: '{text} has no keyring yet (nothing was ever written there)',
    hint: 'write a secret first',
  },
  NO_IMPORTED_KEY_NOTHING_REVOKE: {
    code: 'HUSH_E_NOT_FOUND',
    template:
      "{text} has no imported key; nothing to revoke (`hush keys status` shows each keyring's protector)",
  },
  KEYRING_NAMES_PROTECTOR_BUT_IMPORTED: {
    code: 'HUSH_E_INTEGRITY',
    template:
      'keyring {scope} names protector {name} but imported key {fingerprint} protects it; the row was altered or replaced',
    hint: 'restore it from a backup',
  },
  STORAGE_KEY_HOLDS_OTHER_RECORD: {
    code: 'HUSH_E_INTEGRITY',
    template: '{key} holds another record',
    hint: 'restore it from a backup',
  },
  KEYRING_PROTECTED_EXTERNAL_KEY_WRAPPER: {
    code: 'HUSH_E_KEY_UNAVAILABLE',
    template:
      'keyring {scope} is protected by external key wrapper hsm:{id}, which this process was not given',
    hint: 'configure key wrapper "{id}" (the same HSM key) to read {scope}',
  },
  KEYRING_PROTECTED_IMPORTED_KEY_WHICH: {
    code: 'HUSH_E_KEY_UNAVAILABLE',
    template:
      'keyring {scope} is protected by imported key {fingerprint}, which was revoked (crypto-shredded); {scope} cannot be read unless you re-import the same key material with `hush keys import --project {project} --env {environment}`',
  },
  KEYRING_NAMES_IMPORTED_KEY_BUT: {
    code: 'HUSH_E_INTEGRITY',
    template: 'keyring {scope} names imported key {fingerprint} but {fingerprint2} is registered',
    hint: 'restore it from a backup',
  },
  LIMIT_MUST_INTEGER_FOUND: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'limit must be an integer from 1 to {maxListLimit}, found {limit}',
  },
  LIST_CURSOR_NOT_VALID: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'the list cursor is not valid for this listing',
    hint: 'pass the cursor of the previous page of the same list',
  },
  MOVE_SOURCE_DESTINATION_BOTH: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'move source and destination are both {fromText}',
    hint: 'name a new path',
  },
  CANNOT_MOVE_INTO_ITSELF: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'cannot move {fromText} into itself ({toText})',
    hint: 'move it to a path outside {fromText}/',
  },
  NOTHING_MOVE_NO_SECRET_BELOW: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'nothing to move: no secret at or below {fromText}',
  },
  MOVE_DESTINATION_OCCUPIED: {
    code: 'HUSH_E_ALREADY_EXISTS',
    template: 'the destination already has {value} ({shown})',
    hint: 'pass overwrite to replace them',
  },
  NO_PENDING_VERSION_STAGE_ONE: {
    code: 'HUSH_E_NOT_FOUND',
    template: '{where} has no pending version; stage one first (`hush rotate {where}` or put with stage)',
  },
  CHECK_SET_FAILED_EXPECTED_PENDING: {
    code: 'HUSH_E_CAS_CONFLICT',
    template:
      'check-and-set failed for {where}: expected pending version {cas}, found {pending}; another rotation staged a newer one',
  },
  CHECK_SET_FAILED_EXPECTED_FOUND: {
    code: 'HUSH_E_CAS_CONFLICT',
    template: 'check-and-set failed for {where}: expected {wanted}, found {actual}',
    hint: 'read it again and retry',
  },
  ROOT_KEY_CHANGED_ANOTHER_PROCESS: {
    code: 'HUSH_E_SEALED',
    template: 'the root key changed in another process',
    hint: 'run `hush unseal` and retry',
  },
  EXPECTED_PROJECT_ENVIRONMENT_SEGMENTS_KEYRING: {
    code: 'HUSH_E_INVALID_ADDRESS',
    template: 'expected project/environment (2 segments) for a keyring, found "{prefix}"; e.g. payments/prod',
  },
  SEAL_RECORD_SYS_SEAL_MALFORMED: {
    code: 'HUSH_E_INTEGRITY',
    template: 'the seal record (sys/seal) is malformed',
    hint: 'restore it from a backup',
  },
  METADATA_BUT_KEYRING_MISSING: {
    code: 'HUSH_E_INTEGRITY',
    template: '{where} has metadata but its keyring {project}/{environment} is missing',
    hint: 'restore it from a backup',
  },
  NO_SECRET_WHERE: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'no secret at {where}',
    hint: 'run `hush list {project}/{environment}` to see what exists',
  },
  VERSION_DATA_ROW_MISSING: {
    code: 'HUSH_E_INTEGRITY',
    template: 'the data row of {address}@v{version} is missing though its metadata lists it',
    hint: 'restore it from a backup',
  },
  STORE_SEALED_HUSH_SEAL_STAYS: {
    code: 'HUSH_E_SEALED',
    template: 'the store was sealed with `hush seal` and stays sealed',
    hint: 'run `hush unseal` to open it',
  },
  STORE_INITIALISED_SEAL_BUT_CONFIG: {
    code: 'HUSH_E_CONFIG',
    template: 'the store was initialised with the {kind} seal but the config names {kind2}',
    hint: 'configure the {kind} seal',
  },
  LIVE_METADATA_BUT_TOMBSTONE_FAILS: {
    code: 'HUSH_E_INTEGRITY',
    template:
      '{where} is live in its metadata but has a tombstone that fails its integrity check; storage was changed outside Hush: restore it from a trusted backup',
  },
  TOMBSTONE_ROLLED_BACK: {
    code: 'HUSH_E_INTEGRITY',
    template:
      '{where} was {state} at {at}, but its stored metadata shows it live: an older row was put back into storage (a rollback); it is not served. Restore the store from a trusted backup',
  },
  DESCRIPTION_CHARACTERS_LIMIT: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'description is {length} characters; the limit is {description}',
  },
  STORE_EXPIRES_MUST_ISO_DATE_SUCH: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'expiresAt must be an ISO 8601 date such as 2027-01-31T00:00:00Z, found "{expiresAt}"',
  },
  TOO_MANY_TAGS: { code: 'HUSH_E_INVALID_INPUT', template: '{length} tags given; the limit is {tags}' },
  TAG_VALUE_NOT_STRING: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'tag {name} must have a string value, found {value}',
  },
  TAG_NAME_LENGTH_INVALID: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'tag names must be 1..{tagName} characters, found {length}',
  },
  TAG_VALUE_TOO_LONG: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'tag {name} is {length} characters; the limit is {tagValue}',
  },
  KEY_OUTSIDE_SEALED_VIEW: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'storage key {key} lies outside the {view} records',
    hint: 'a name may not contain `..` or reach another subsystem',
  },
} as const satisfies MessageTable;
