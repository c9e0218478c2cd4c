import type { MessageTable } from '../message-template.js';

/** Messages raised under src/core/crypt/ and src/crypt/ (ids are unique across every domain file). */
export const cryptMessages = {
  CRYPT_VALUE_MALFORMED: {
    code: 'HUSH_E_INVALID_INPUT',
    template:
      '{file}: the value at {path} is not a well-formed ENC[AES256_GCM,data:...,iv:...,tag:...,type:...] value',
    hint: 'restore it from version control, or set it again with `hush crypt edit`',
  },
  CRYPT_VALUE_TAMPERED: {
    code: 'HUSH_E_INTEGRITY',
    template:
      '{file}: the value at {path} failed authentication (changed, moved from another key, or another key)',
    hint: 'restore it from version control, or set it again with `hush crypt edit`',
  },
  CRYPT_VALUE_PLAINTEXT: {
    code: 'HUSH_E_INTEGRITY',
    template: '{file}: the value at {path} is plaintext where the rules say encrypted',
    hint: 'restore it from version control, or set it with `hush crypt edit` so it is encrypted',
  },
  CRYPT_VALUE_ALREADY_ENCRYPTED: {
    code: 'HUSH_E_INVALID_INPUT',
    template: '{file}: the value at {path} already looks encrypted (ENC[...]) in a plaintext file',
    hint: 'decrypt the file it came from, or remove the value',
  },
  CRYPT_MAC_MISMATCH: {
    code: 'HUSH_E_INTEGRITY',
    template:
      '{file}: the MAC over the values does not match (a value was changed, added, removed or reordered)',
    hint: 'restore the file from version control',
  },
  CRYPT_METADATA_INVALID: {
    code: 'HUSH_E_INVALID_INPUT',
    template: '{file}: the metadata field {field} is missing or malformed',
    hint: 'restore the sops block from version control',
  },
  CRYPT_NOT_ENCRYPTED: {
    code: 'HUSH_E_INVALID_INPUT',
    template: '{file} has no sops metadata block: it is not an encrypted file',
    hint: 'encrypt it with `hush crypt encrypt`',
  },
  CRYPT_ALREADY_ENCRYPTED: {
    code: 'HUSH_E_INVALID_INPUT',
    template: '{file} is already encrypted (it has a sops metadata block)',
    hint: 'use `hush crypt edit` to change it or `hush crypt rotate` for a new data key',
  },
  CRYPT_FILE_BINARY: {
    code: 'HUSH_E_INVALID_INPUT',
    template:
      '{file} is binary (NUL bytes or invalid UTF-8): only YAML, JSON, .env, INI and TOML text can be encrypted',
  },
  CRYPT_FILE_CONFLICT: {
    code: 'HUSH_E_INVALID_INPUT',
    template: '{file} has merge conflict markers at line {line}',
    hint: 'resolve the conflict (decrypted, with the git merge driver or by hand) and try again',
  },
  CRYPT_FILE_MALFORMED: {
    code: 'HUSH_E_INVALID_INPUT',
    template: '{file}: line {line} is not {expected}',
  },
  CRYPT_YAML_MULTI_DOCUMENT: {
    code: 'HUSH_E_INVALID_INPUT',
    template: '{file} holds {count} YAML documents; only one document per file is supported',
    hint: 'split it into one file per document',
  },
  CRYPT_RULES_CONFLICT: {
    code: 'HUSH_E_USAGE',
    template: 'more than one encryption rule is set ({rules})',
    hint: 'choose one of --encrypted-regex, --unencrypted-regex, --encrypted-suffix, --unencrypted-suffix',
  },
  CRYPT_RULE_REGEX_INVALID: {
    code: 'HUSH_E_USAGE',
    template: 'the {rule} rule is not a valid regular expression',
  },
  CRYPT_FORMAT_UNKNOWN: {
    code: 'HUSH_E_USAGE',
    template: 'unknown format {format} (expected one of {formats})',
  },
  CRYPT_FORMAT_UNKNOWN_FILE: {
    code: 'HUSH_E_USAGE',
    template: 'cannot tell the format of {file} from its name',
    hint: 'pass --format (one of {formats})',
  },
  CRYPT_NO_RECIPIENTS: {
    code: 'HUSH_E_USAGE',
    template: 'no recipients: the data key of {file} would be readable by nobody',
    hint: 'pass --age <recipient> and/or --transit-key <name>, or list them in .hush-crypt.yaml',
  },
  CRYPT_NO_KEY: {
    code: 'HUSH_E_KEY_UNAVAILABLE',
    template: '{file}: none of its recipients could unwrap the data key ({tried})',
    hint: 'set SOPS_AGE_KEY_FILE or HUSH_AGE_KEY_FILE to an age identity the file lists, or HUSH_ADDR and HUSH_TOKEN for its transit key',
  },
  CRYPT_AGE_RECIPIENT_INVALID: {
    code: 'HUSH_E_USAGE',
    template: 'age recipient {recipient} is not an age X25519 public key (age1...)',
  },
  CRYPT_AGE_IDENTITY_INVALID: {
    code: 'HUSH_E_CONFIG',
    template: 'the age identity file {file} holds no AGE-SECRET-KEY-1... line',
  },
  CRYPT_DATA_KEY_INVALID: {
    code: 'HUSH_E_INTEGRITY',
    template: '{file}: the data key unwrapped for {recipient} is {length} bytes (expected 32)',
  },
  CRYPT_RECIPIENT_NOT_FOUND: {
    code: 'HUSH_E_NOT_FOUND',
    template: '{recipient} is not a recipient of {file}',
  },
  CRYPT_LAST_RECIPIENT: {
    code: 'HUSH_E_USAGE',
    template: 'removing {recipient} would leave {file} with no recipient',
    hint: 'add another recipient first',
  },
  CRYPT_EDITOR_FAILED: {
    code: 'HUSH_E_USAGE',
    template: 'the editor exited with status {status}; {file} is unchanged',
  },
  CRYPT_KEY_PATH_NOT_FOUND: {
    code: 'HUSH_E_NOT_FOUND',
    template: '{file} has no value at {path}',
  },
  CRYPT_CONFIG_INVALID: {
    code: 'HUSH_E_CONFIG',
    template:
      '{file} is not a valid creation-rules file (creation_rules: [{path_regex, age, hush_transit, ...}])',
  },
  CRYPT_OUTPUT_NEEDS_IN_PLACE: {
    code: 'HUSH_E_USAGE',
    template: '{count} files given without --in-place: only one file can be written to stdout',
    hint: 'pass --in-place (-i) to rewrite each file',
  },
  CRYPT_PLAINTEXT_STAGED: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'commit refused: {count} plaintext value(s) staged in paths marked encrypted (listed above)',
    hint: 'run `hush crypt git install` in this clone so the clean filter encrypts them, then `git add` again',
  },
} as const satisfies MessageTable;
