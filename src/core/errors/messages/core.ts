import type { MessageTable } from '../message-template.js';

/** Messages raised under src/core/ (ids are unique across every domain file). */
export const coreMessages = {
  TIME_OR_DURATION_AGO_EXPECTED: {
    code: 'HUSH_E_USAGE',
    template:
      '{flag} must be an ISO-8601 time (2026-06-01T12:00:00Z) or a duration ago (90s, 30m, 1h, 7d), found "{text}"',
  },
  FAILED_INTEGRITY_CHECK_DATA_TAMPERED: {
    code: 'HUSH_E_INTEGRITY',
    template:
      '{value} failed its integrity check ({found}): the data was tampered with, corrupted, or moved from another record',
    hint: 'restore it from a backup',
  },
  KEYRING_MALFORMED_PROTECTOR_HEADER_ROW: {
    code: 'HUSH_E_INTEGRITY',
    template: 'keyring {scope} has a malformed protector header; the row was altered or corrupted',
    hint: 'restore it from a backup',
  },
  KEYRING_PROTECTOR_COULD_NOT_UNWRAP: {
    code: 'HUSH_E_KEY_UNAVAILABLE',
    template: "keyring {scope}: its protector {name} could not unwrap the keyring's data key ({value})",
    hint: 'check that the key wrapper is reachable and holds the same key',
  },
  KEYRING_PROTECTOR_RETURNED_BYTE_DATA: {
    code: 'HUSH_E_INTEGRITY',
    template: 'keyring {scope}: its protector {name} returned a {length}-byte data key, expected {keyBytes}',
    hint: 'check the wrapper',
  },
  KEYRING_PROTECTOR_COULD_NOT_WRAP: {
    code: 'HUSH_E_KEY_UNAVAILABLE',
    template: 'keyring {scope}: its protector {name} could not wrap a data key ({value})',
    hint: 'check that the key wrapper is reachable and holds its key',
  },
  KEYRING_NO_KEY_VERSION_DATA: {
    code: 'HUSH_E_INTEGRITY',
    template:
      'keyring {scope} has no key version {version} (it has {versions}); the data references a key that was removed',
  },
  KEYRING_DECRYPTED_BUT_MALFORMED: {
    code: 'HUSH_E_INTEGRITY',
    template: 'keyring {scope} decrypted but is malformed',
    hint: 'restore it from a backup',
  },
  API_KEY_PREFIX_MUST_LETTER: {
    code: 'HUSH_E_INVALID_INPUT',
    template:
      'api-key prefix must be a letter then up to 31 letters, digits or "-" ({length} characters given); e.g. --prefix acme',
  },
  UNKNOWN_GENERATOR_KIND: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'unknown generator {kind}',
    hint: 'use one of {generatorKinds}',
  },
  SSH_KEY_TYPE_MUST_ONE: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'ssh key type must be one of {sshKeyTypes}, got {type}',
  },
  SSH_KEY_COMMENT_MUST_ONE: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'the ssh key comment must be one line',
  },
  BITS_APPLIES_RSA_SSH_KEYS: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'bits applies to rsa ssh keys only, not {type}',
  },
  CURVE_APPLIES_ECDSA_SSH_KEYS: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'curve applies to ecdsa ssh keys only, not {type}',
  },
  RANDOM_BYTES_OUT_OF_RANGE: {
    code: 'HUSH_E_INVALID_INPUT',
    template: '{what} must be a whole number 1..{maxRandomBytes}, got {bytes}',
  },
  UNKNOWN_BYTE_ENCODING: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'encoding must be one of {byteEncodings}, got {encoding}',
  },
  NOT_VALID_JSON: {
    code: 'HUSH_E_USAGE',
    template: '{what} is not valid JSON',
    hint: 'check quoting and trailing commas',
  },
  JSON_LONE_SURROGATE: {
    code: 'HUSH_E_INVALID_INPUT',
    template: '{what} has a \\u escape of half a surrogate pair, which cannot be stored unchanged',
    hint: 'send valid Unicode',
  },
  NUMBER_TOO_LARGE_REPRESENT_LIKE: {
    code: 'HUSH_E_INVALID_INPUT',
    template: '{what} has a number too large to represent (like 1e400)',
    hint: 'send it as a string',
  },
  JSON_NESTS_TOO_DEEP: {
    code: 'HUSH_E_INVALID_INPUT',
    template: '{what} nests more than {maxDepth} levels deep (at character {i}); flatten it',
  },
  REPEATS_KEY_ONE_OBJECT_CHARACTER: {
    code: 'HUSH_E_INVALID_INPUT',
    template: '{what} repeats a key in one object (at character {at})',
    hint: 'send each key once',
  },
  KEY_CHARACTER_WHICH_REFUSED: {
    code: 'HUSH_E_INVALID_INPUT',
    template: '{what} has a "{key}" key (at character {at}), which is refused',
    hint: 'rename it',
  },
  PATH_EMPTY_SEGMENT: {
    code: 'HUSH_E_INVALID_ADDRESS',
    template: 'path "{path}" has an empty segment ("//")',
    hint: 'remove it',
  },
  POLICY_NAME_INVALID: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'policy name "{name}" is invalid: {policyNameRule}',
  },
  POLICY_DOCUMENT_INVALID: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'policy{name} is invalid: {value}{value2}',
  },
  INVALID_ADDRESS: { code: 'HUSH_E_INVALID_ADDRESS', template: 'invalid address "{text}": {why}' },
  SECRET_HOLDS_NUL_BYTE_WHICH: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'secret {key} holds a NUL byte, which the {format} format cannot carry',
    hint: 'export it with --format json or yaml',
  },
  SECRET_CANNOT_WRITTEN_DOTENV_FORMAT: {
    code: 'HUSH_E_INVALID_INPUT',
    template:
      'secret {key} cannot be written in the dotenv format (its quotes, backslashes or carriage returns have no dotenv spelling)',
    hint: 'export it with --format env, json or yaml',
  },
  VALUE_NESTS_TOO_DEEP: {
    code: 'HUSH_E_INVALID_INPUT',
    template:
      '{what} nests more than {max} levels deep; flatten it (store deeper parts as separate secrets or as a string)',
  },
  ENCODED_VALUE_MALFORMED: {
    code: 'HUSH_E_INTEGRITY',
    template: '{value} is malformed ({length} bytes, format byte {value2})',
    hint: 'restore it from a backup',
  },
  METADATA_UNEXPECTED_SHAPE_RECORD_CORRUPT: {
    code: 'HUSH_E_INTEGRITY',
    template: 'metadata of {where} has an unexpected shape; the record is corrupt, restore it from a backup',
  },
  VALUE_TOO_LARGE: {
    code: 'HUSH_E_TOO_LARGE',
    template: 'value is {size} bytes; the limit is {maxValueBytes}',
    hint: 'raise limits.maxValueBytes (HUSH_MAX_VALUE_BYTES) to store more',
  },
  // The store's own check: it also runs in local mode, where no server setting applies.
  STORE_VALUE_TOO_LARGE: {
    code: 'HUSH_E_TOO_LARGE',
    template: 'value is {size} bytes; the limit is {maxValueBytes}',
    hint: "keep larger data outside Hush and store a reference (a local store's limit is fixed; on a server, limits.maxValueBytes / HUSH_MAX_VALUE_BYTES sets it)",
  },
  DECRYPTED_VALUE_UNKNOWN_TYPE_TAG: {
    code: 'HUSH_E_INTEGRITY',
    template:
      'a decrypted value has unknown type tag {value}; the record is corrupt, restore it from a backup',
  },
  SECRET_VALUE_WRONG_TYPE: {
    code: 'HUSH_E_INVALID_INPUT',
    template:
      '{what} must be a string or a JSON object, found {found}; wrap it in an object or quote it as a string',
  },
  VERSION_NOT_FOUND: {
    code: 'HUSH_E_NOT_FOUND',
    template: '{where} has no version {version} ({range})',
    hint: 'run `hush versions {where}` to list them',
  },
  VERSION_VERSION_WHERE_DELETED: {
    code: 'HUSH_E_DELETED',
    template: 'version {version} of {where} is deleted',
    hint: 'run `hush undelete {where} --versions {version}` to restore it',
  },
  VERSION_DESTROYED: {
    code: 'HUSH_E_DESTROYED',
    template: 'version {version} of {where} was destroyed and cannot be recovered',
    hint: 'read another version or write a new one',
  },
  GIVE_VERSION_LABEL_NOT_BOTH: {
    code: 'HUSH_E_USAGE',
    template: 'give a version or a label for {where}, not both',
  },
  NO_VERSION_LABELLED: {
    code: 'HUSH_E_NOT_FOUND',
    template: '{where} has no version labelled {label}',
    hint: 'run `hush versions {where}` to see its labels',
  },
  STAGED_VERSION_BUT_NO_CURRENT: {
    code: 'HUSH_E_NOT_FOUND',
    template:
      '{where} has a staged version {value} but no current one yet; promote it (`hush rotate {where}`) or read it with --label pending',
  },
  TOKEN_REJECTED: {
    code: 'HUSH_E_UNAUTHENTICATED',
    template: '{reason}',
    hint: 'check the token you set, or log in again',
  },
  TOKEN_TTL_MUST_WHOLE_NUMBER: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'token ttl must be a whole number of milliseconds >= 0, got {ttlMs}',
  },
  TOKEN_MAX_TTL_MUST_POSITIVE: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'token max ttl must be a positive whole number of ms, got {maxTtlMs}',
  },
  TOKEN_USE_LIMIT_MUST_POSITIVE: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'token use limit must be a positive whole number, got {numUses}',
  },
  TOKEN_CANNOT_CREATE_TOKENS: {
    code: 'HUSH_E_FORBIDDEN',
    template: 'a {type} token cannot create tokens',
    hint: 'use a service token',
  },
  CHILD_TOKEN_CAN_ONLY_CARRY: {
    code: 'HUSH_E_FORBIDDEN',
    template: "a child token can only carry its parent's policies",
    hint: 'remove {extra}',
  },
  TOKEN_NOT_RENEWABLE: {
    code: 'HUSH_E_FORBIDDEN',
    template: 'this {type} token is not renewable',
    hint: 'create a new token instead',
  },
  RENEW_INCREMENT_MUST_POSITIVE_WHOLE: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'renew increment must be a positive whole number of ms, got {inc}',
  },
  CHILD_USE_LIMITED_TOKEN_GETS: {
    code: 'HUSH_E_FORBIDDEN',
    template: 'a child of a use-limited token gets at most the {available} use(s) its parent has left',
    hint: 'ask for numUses <= {available}',
  },
  RSA_BITS_MUST_MULTIPLE_DEFAULT: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'rsa bits must be a multiple of 8 in 2048..8192 (3072 is the default), got {bits}',
  },
  EC_CURVE_MUST_ONE_GOT: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'ec curve must be one of {ecCurves}, got {curve}',
  },
  KEY_PASSPHRASE_EMPTY: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'the key passphrase is empty',
    hint: 'give a non-empty passphrase or none for an unencrypted key',
  },
  KEY_TYPE_MUST_ONE_GOT: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'key type must be one of {keyTypes}, got {type}',
  },
  BITS_APPLIES_RSA_KEYS_ONLY: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'bits applies to rsa keys only, not {type}',
  },
  CURVE_APPLIES_EC_KEYS_ONLY: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'curve applies to ec keys only, not {type}',
  },
  PASSWORD_MINIMUM_MUST_WHOLE_NUMBER: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'password: the minimum for {name} must be a whole number 0..{maxPasswordLength}, got {setting}',
  },
  PASSWORD_LENGTH_MUST_WHOLE_NUMBER: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'password: length must be a whole number 1..{maxPasswordLength}, got {length}',
  },
  PASSWORD_EVERY_CHARACTER_EXCLUDED_BUT: {
    code: 'HUSH_E_INVALID_INPUT',
    template:
      'password: every {name} character is excluded but {name} is required; exclude fewer or use --no-{name}',
  },
  PASSWORD_EVERY_CHARACTER_CLASS_DISABLED: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'password: every character class is disabled or excluded',
    hint: 'enable at least one class or exclude fewer',
  },
  PASSWORD_CLASS_MINIMUMS_ADD_UP: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'password: the class minimums add up to {required}, more than the length {length}',
    hint: 'raise --length or lower the minimums',
  },
  CIPHERTEXT_DID_NOT_DECRYPT_CHANGED: {
    code: 'HUSH_E_TRANSIT_INVALID',
    template:
      'the ciphertext did not decrypt: it was changed, truncated, or made with another key, version, context or associated data',
  },
  RSA_KEYS_NOT_DERIVED: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'RSA keys are not derived',
    hint: 'send no context',
  },
  KEY_NOT_DERIVED: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'this key is not derived',
    hint: 'send no context',
  },
  KEY_DERIVED: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'this key is derived',
    hint: 'send a non-empty context (base64)',
  },
  OAEP_ENCRYPTS_MOST_BYTES_PLAINTEXT: {
    code: 'HUSH_E_TOO_LARGE',
    template:
      '{type} OAEP encrypts at most {room} bytes; this plaintext is {length}. Encrypt a datakey instead',
  },
  NOT_STANDARD_BASE64_CHARACTERS_EXPECTED: {
    code: 'HUSH_E_INVALID_INPUT',
    template: '{what} is not standard base64 ({length} characters; expected A-Z a-z 0-9 + / with = padding)',
  },
  CIPHERTEXT_MALFORMED: {
    code: 'HUSH_E_TRANSIT_INVALID',
    template: '{what} is not of the form hush:v<version>:<base64> ({length} characters)',
  },
  BODY_NOT_STANDARD_BASE64: {
    code: 'HUSH_E_TRANSIT_INVALID',
    template: '{what} has a body that is not standard base64',
  },
  TRANSIT_KEY_TYPE_UNKNOWN: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'transit key type "{text}" is unknown',
    hint: 'use one of {transitKeyTypes}',
  },
  TRANSIT_KEY_WHICH_CANNOT_KEYS: {
    code: 'HUSH_E_TRANSIT_KEY_TYPE',
    template: 'transit key "{name}" is {type}, which cannot {value}; keys that can: {able}',
  },
  HASH_TEXT_UNKNOWN: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'hash "{text}" is unknown',
    hint: 'use one of {transitHashes}',
  },
  PREHASHED_INPUT_NEEDS_RSA_KEY: {
    code: 'HUSH_E_TRANSIT_KEY_TYPE',
    template: 'prehashed input needs an RSA key; {type} keys sign the message itself',
  },
  PREHASHED_INPUT_BYTES_GOT: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'a prehashed {hash} input is {digestBytes} bytes; got {length}',
  },
  TRANSIT_VERSION_OUT_OF_RANGE: {
    code: 'HUSH_E_INVALID_INPUT',
    template:
      '{field} must be a version from {low} to {latestVersion} (the latest) for key "{name}"; got {value}',
  },
  MIN_ENCRYPTION_VERSION_MUST_NOT: {
    code: 'HUSH_E_INVALID_INPUT',
    template:
      'minEncryptionVersion ({minEncryptionVersion}) must not be below minDecryptionVersion ({minDecryptionVersion}): data encrypted with it could not be decrypted',
  },
  KEY_EXPORTABLE_CANNOT_UNDONE_MATERIAL: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'key "{name}" is exportable; that cannot be undone (its material may already have left)',
  },
  DERIVATION_CONTEXT_TOO_LONG: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'the derivation context is {length} bytes; the limit is {max}',
  },
  KEY_NOT_CREATED_EXPORTABLE_STAYS: {
    code: 'HUSH_E_INVALID_INPUT',
    template:
      'key "{name}" was not created exportable; that cannot be changed (its material never leaves the server)',
    hint: 'create a new key with --exportable and rewrap data under it by decrypting and encrypting again',
  },
  TRIM_KEY_MUST_KEEP_VERSIONS: {
    code: 'HUSH_E_INVALID_INPUT',
    template:
      'trim of key "{name}" must keep versions from {minAvailableVersion} to {ceiling} (raise minDecryptionVersion first); got {minAvailableVersion2}',
  },
  KEY_ENCRYPTS_SIGNS_VERSIONS_VERSION: {
    code: 'HUSH_E_TRANSIT_VERSION',
    template:
      'key "{name}" encrypts and signs with versions {low} to {latestVersion}; version {requested} was asked for',
  },
  TRANSIT_INPUT_VERSION_OUT_OF_RANGE: {
    code: 'HUSH_E_TRANSIT_VERSION',
    template:
      'key "{name}" accepts versions {low} to {latestVersion}; this input is version {version}{value}',
  },
  KEY_NO_VERSION_VERSIONS_EXIST: {
    code: 'HUSH_E_TRANSIT_VERSION',
    template:
      'key "{name}" has no version {version} (versions {minAvailableVersion} to {latestVersion} exist)',
  },
  VALUE_LONE_SURROGATE: {
    code: 'HUSH_E_INVALID_INPUT',
    template:
      '{where} holds half of a UTF-16 surrogate pair (a lone \\ud800-\\udfff), which {action} would silently turn into U+FFFD',
    hint: 'rewrite the value as valid Unicode',
  },
} as const satisfies MessageTable;
