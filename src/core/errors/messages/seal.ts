import type { MessageTable } from '../message-template.js';

/** Messages raised under src/seal/ (ids are unique across every domain file). */
export const sealMessages = {
  KEY_FILE_ALREADY_EXISTS_WILL: {
    code: 'HUSH_E_ALREADY_EXISTS',
    template: 'key file {path} already exists and will not be overwritten (it may protect another store)',
    hint: 'choose a new path or move the old file away',
  },
  STORED_SEAL_RECORD_NOT_KEY: {
    code: 'HUSH_E_UNSEAL_FAILED',
    template: 'the stored seal record is not a key-file record (kind {kind})',
    hint: 'configure the seal the store was initialised with',
  },
  CANNOT_READ_PKCS_PIN_FILE: {
    code: 'HUSH_E_UNSEAL_FAILED',
    template: 'cannot read the PKCS#11 PIN file {file} ({reason})',
    hint: 'check the path and its permissions',
  },
  PKCS_PIN_FILE_READABLE_OTHER: {
    code: 'HUSH_E_CONFIG',
    template: 'the PKCS#11 PIN file {file} is readable by other users (mode {value})',
    hint: 'run chmod 600 {file}',
  },
  PKCS11_SEAL_NEEDS_TOKEN_LABEL: {
    code: 'HUSH_E_USAGE',
    template:
      'the pkcs11 seal needs a token label and a key label to init (seal.tokenLabel/seal.keyLabel, or --pkcs11-token/--pkcs11-key)',
  },
  ROTATE_ROOT_FIELD_NOT_FOR_SEAL: {
    code: 'HUSH_E_USAGE',
    template: "{field} does not apply to the server's {kind} seal",
    hint: 'shamir takes shares and threshold, rsa publicKeyPem, pkcs11 keyLabel; a key-file seal takes nothing',
  },
  ROTATE_ROOT_MATERIAL_UNUSABLE: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'the new unseal material cannot seal the new root key, nothing changed: {reason}',
  },
  PKCS11_SEAL_RECORD_SAYS_BUT: {
    code: 'HUSH_E_INTEGRITY',
    template: 'the pkcs11 seal record says {mechanism} but its blob was made with another mechanism',
    hint: 'restore sys/seal from a backup',
  },
  SEALED_ROOT_KEY_NOT_OPEN: {
    code: 'HUSH_E_INTEGRITY',
    template:
      'the sealed root key does not open with key "{keyLabel}" on token "{tokenLabel}" (the seal record is damaged, or the key was replaced)',
    hint: 'restore sys/seal or the token from a backup',
  },
  PKCS11_SEAL_NEEDS_USER_PIN: {
    code: 'HUSH_E_UNSEAL_FAILED',
    template: 'the pkcs11 seal needs the user PIN of token "{tokenLabel}" and {where}',
    hint: 'set {pinEnv} or seal.pinFile (a file of mode 0600)',
  },
  PKCS11_LABELS_MISMATCH: {
    code: 'HUSH_E_CONFIG',
    template:
      'the store was sealed with key "{keyLabel}" on token "{tokenLabel}" but the config names key "{value}" on token "{value2}"',
    hint: 'fix seal.tokenLabel/seal.keyLabel',
  },
  INVALID_RSA_SEAL_OPTIONS: { code: 'HUSH_E_CONFIG', template: 'invalid rsa seal options: {message}' },
  RSA_SEAL_CONFIG_NEEDS_PUBLIC_KEY: {
    code: 'HUSH_E_CONFIG',
    template:
      'the rsa seal needs publicKeyPem (the PEM text of an RSA public key of at least 3072 bits) to initialise a store',
  },
  STORE_SEALED_RSA_KEY: {
    code: 'HUSH_E_UNSEAL_FAILED',
    template: 'this store is sealed to the RSA key {fingerprint}',
    hint: "supply that key's private key (PEM), and its passphrase if the key file is encrypted",
  },
  WRONG_PRIVATE_KEY_STORE_SEALED: {
    code: 'HUSH_E_UNSEAL_FAILED',
    template: 'wrong private key: this store is sealed to {fingerprint} but the key supplied is {found}',
    hint: 'supply the matching private key',
  },
  ROOT_KEY_RSA_SEAL_RECORD: {
    code: 'HUSH_E_INTEGRITY',
    template:
      'the root key in the rsa seal record does not decrypt under the matching key {fingerprint}; the record is damaged: restore sys/seal from a backup',
  },
  INVALID_SEAL_OPTIONS: { code: 'HUSH_E_CONFIG', template: 'invalid {kind} seal options: {issues}' },
  SEAL_RECORD_SEAL_BUT_SEAL: {
    code: 'HUSH_E_CONFIG',
    template: 'the seal record is for the {kind} seal but the {kind2} seal was asked to unseal it',
    hint: 'configure the {kind} seal',
  },
  SEAL_RECORD_DAMAGED: {
    code: 'HUSH_E_INTEGRITY',
    template: 'the {kind} seal record is damaged ({issues})',
    hint: 'restore sys/seal from a backup',
  },
  NO_SHARES_SUPPLIED_STORE_NEEDS: {
    code: 'HUSH_E_UNSEAL_FAILED',
    template: 'no shares supplied; this store needs {threshold} of its {shares} shares',
  },
  SHARE_BELONGS_ANOTHER_STORE_SET: {
    code: 'HUSH_E_UNSEAL_FAILED',
    template: "share {value} belongs to another store (set {setId}; this store's shares are set {set})",
    hint: 'supply shares printed for this store',
  },
  SHARE_DUPLICATES_SHARE: {
    code: 'HUSH_E_UNSEAL_FAILED',
    template: 'share {value} duplicates share {value2}{shares}',
    hint: 'supply a different share',
  },
  NOT_ENOUGH_SHARES: {
    code: 'HUSH_E_UNSEAL_FAILED',
    template: 'got {length} of {threshold} required shares',
    hint: 'supply {missing} more',
  },
  SHARES_NOT_RECONSTRUCT_UNSEAL_KEY: {
    code: 'HUSH_E_UNSEAL_FAILED',
    template:
      'the shares do not reconstruct the unseal key (at least one belongs to another store or was altered)',
  },
  SHARE_MALFORMED_RE_ENTER_EXACTLY: {
    code: 'HUSH_E_UNSEAL_FAILED',
    template: 'share {position} is malformed ({why}); re-enter it exactly as printed',
  },
  KEY_FILE_NOT_KEY_STORE: {
    code: 'HUSH_E_UNSEAL_FAILED',
    template: 'key file {path} is not the key this store was sealed with (fingerprint differs)',
    hint: 'point the seal at the right file',
  },
  SEAL_SEALED_ROOT_KEY_NOT_OPEN: {
    code: 'HUSH_E_UNSEAL_FAILED',
    template: 'the sealed root key does not open with the key file; the seal record is corrupt',
  },
  KEY_FILE_NOT_EXIST: {
    code: 'HUSH_E_UNSEAL_FAILED',
    template: 'key file {path} does not exist',
    hint: 'restore it from your backup or fix the path',
  },
  KEY_FILE_CANNOT_READ: {
    code: 'HUSH_E_UNSEAL_FAILED',
    template: 'key file {path} cannot be read ({code})',
    hint: 'check its permissions',
  },
  KEY_FILE_CORRUPTED_BYTES_EXPECTED: {
    code: 'HUSH_E_UNSEAL_FAILED',
    template:
      'key file {path} is corrupted ({byteLength} bytes, expected a "{filePrefix}" line with a 256-bit key)',
    hint: 'restore it from your backup',
  },
  KEY_FILE_MODE_SO_OTHER: {
    code: 'HUSH_E_UNSEAL_FAILED',
    template: 'key file {path} has mode 0{mode}, so other users may read the key to every secret',
    hint: 'run chmod 600 {path} (and rotate the root key if others could read it), or, for a mount whose mode cannot change (a Kubernetes Secret volume), accept it with {env}=1 (server config: seal.allowLooseMode: true)',
  },
  KEY_FILE_WRITABLE_BY_OTHERS: {
    code: 'HUSH_E_UNSEAL_FAILED',
    template: 'key file {path} has mode 0{mode}, so other users may read or replace the key to every secret',
    hint: 'run chmod 600 {path} (and rotate the root key if others could read it)',
  },
  PRIVATE_KEY_PASSPHRASE_MUST_GIVEN: {
    code: 'HUSH_E_UNSEAL_FAILED',
    template: 'the private key and passphrase must be given as text (the PEM file contents)',
  },
  KEY_SUPPLIED_PUBLIC_KEY_UNSEALING: {
    code: 'HUSH_E_UNSEAL_FAILED',
    template: 'the key supplied is a public key; unsealing needs the matching private key',
  },
  PRIVATE_KEY_ENCRYPTED: {
    code: 'HUSH_E_UNSEAL_FAILED',
    template: 'the private key is encrypted',
    hint: 'supply its passphrase as well',
  },
  PASSPHRASE_NOT_DECRYPT_PRIVATE_KEY: {
    code: 'HUSH_E_UNSEAL_FAILED',
    template: 'the passphrase does not decrypt the private key (or the key file is damaged)',
    hint: 'check the passphrase',
  },
  PRIVATE_KEY_NOT_PEM_PRIVATE: {
    code: 'HUSH_E_UNSEAL_FAILED',
    template:
      'the private key is not a PEM private key (expected -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)',
  },
} as const satisfies MessageTable;
