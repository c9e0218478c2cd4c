import type { MessageTable } from '../message-template.js';

/** Messages raised under src/transit/ (ids are unique across every domain file). */
export const transitMessages = {
  BATCH_EMPTY: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'the batch is empty',
    hint: 'send at least one item',
  },
  BATCH_ITEMS_LIMIT_SPLIT: {
    code: 'HUSH_E_TOO_LARGE',
    template: 'the batch has {count} items; the limit is {max}: split it',
  },
  TRANSIT_KEY_NAME_INVALID_USE: {
    code: 'HUSH_E_INVALID_INPUT',
    template:
      'transit key name "{name}" is invalid: use 1-64 characters of a-z, 0-9, "_", "-", ".", starting with a letter or digit',
  },
  TRANSIT_KEY_ALREADY_EXISTS: {
    code: 'HUSH_E_ALREADY_EXISTS',
    template: 'transit key "{name}" already exists',
    hint: 'rotate it instead',
  },
  TRANSIT_KEY_NOT_CREATED_EXPORTABLE: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'transit key "{name}" was not created exportable, so its material never leaves the server',
  },
  TRANSIT_KEY_NO_VERSION: {
    code: 'HUSH_E_TRANSIT_VERSION',
    template: 'transit key "{name}" has no version {v}',
  },
  TRANSIT_KEY_NOT_ALLOW_DELETION: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'transit key "{name}" does not allow deletion',
    hint: 'set it with hush transit keys config {name} --deletion-allowed first',
  },
  DSSE_ENVELOPE_INVALID: {
    code: 'HUSH_E_INVALID_INPUT',
    template: '{source} is not a DSSE envelope: {problem}',
    hint: 'make one with hush sign FILE --dsse --payload-type TYPE --key KEY',
  },
  DSSE_NEEDS_PAYLOAD_TYPE: {
    code: 'HUSH_E_USAGE',
    template: 'hush sign --dsse needs --payload-type (e.g. application/vnd.in-toto+json)',
  },
  VERIFY_NEEDS_SIG_OR_DSSE: {
    code: 'HUSH_E_USAGE',
    template:
      'hush verify needs exactly one of --sig FILE (a detached signature) or --dsse (FILE is an envelope)',
  },
  NO_TRANSIT_KEY: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'no transit key "{name}"',
    hint: 'create it with hush transit keys create {name} --type aes256-gcm96',
  },
  SIGNATURE_ALGORITHM_UNKNOWN: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'signatureAlgorithm "{scheme}" is unknown',
    hint: 'use {rsaSchemes}',
  },
  TRANSIT_SIGNATURE_ALGORITHM_NEEDS_RSA: {
    code: 'HUSH_E_TRANSIT_KEY_TYPE',
    template: 'transit key "{name}" is {type}: only RSA keys take a signatureAlgorithm (pss or pkcs1v15)',
    hint: 'drop signatureAlgorithm, or create an rsa-2048/3072/4096 key',
  },
  TRANSIT_BITS_INVALID: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'bits must be 128, 256 or 512; got {bits}',
  },
  TRANSIT_RANDOM_BYTES_INVALID: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'bytes must be 1 to {maxRandomBytes}; got {bytes}',
  },
  TRANSIT_KEY_NO_PUBLIC_KEY: {
    code: 'HUSH_E_TRANSIT_KEY_TYPE',
    template: 'transit key "{name}" is {type}; it has no public key',
  },
  SEND_EITHER_BATCH_ONE_ITEM: {
    code: 'HUSH_E_USAGE',
    template: "send either batch or one item's fields, not both",
  },
  PATH_NEEDS_FIELD_BATCH: { code: 'HUSH_E_USAGE', template: '{path} needs "{field}" (or "batch": [...])' },
  TRANSIT_HSM_SIGNER_UNAVAILABLE: {
    code: 'HUSH_E_KEY_UNAVAILABLE',
    template: 'this signing key lives in HSM token "{token}", which this server has not opened',
    hint: 'configure the token under keys.hsmTokens and restart (docs/keys.md)',
  },
  TRANSIT_AUTO_ROTATE_PERIOD_INVALID: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'autoRotatePeriod {period} is not valid: 0 (off) or at least {min} seconds',
  },
  TRANSIT_HSM_KEY_TYPE: {
    code: 'HUSH_E_TRANSIT_KEY_TYPE',
    template:
      'an HSM-held transit key must be a signing type (ed25519, ecdsa-p256, ecdsa-p384, rsa-2048/3072/4096), not {type}',
  },
  TRANSIT_HSM_KEY_NOT_EXPORTABLE: {
    code: 'HUSH_E_INVALID_INPUT',
    template:
      'an HSM-held transit key can be neither exportable nor derived: its private key never leaves the HSM',
  },
  TRANSIT_HSM_KEY_TYPE_MISMATCH: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'HSM key "{label}" is {found}, not {type}',
  },
  TRANSIT_HSM_LABEL_TAKEN: {
    code: 'HUSH_E_INVALID_INPUT',
    template:
      'HSM key pair "{label}" on token "{token}" already belongs to {owner}; a key pair signs for one Hush key',
    hint: 'import a key pair made for this key, or omit --hsm-label to generate one in the token',
  },
} as const satisfies MessageTable;
