import type { MessageTable } from '../message-template.js';

/** Messages raised under src/hsm/ (ids are unique across every domain file). */
export const hsmMessages = {
  KEY_LABEL_MUST_NOT_EMPTY: { code: 'HUSH_E_USAGE', template: 'the key label must not be empty' },
  SECRET_KEY_LABELLED_ALREADY_EXISTS: {
    code: 'HUSH_E_ALREADY_EXISTS',
    template: 'a secret key labelled "{keyLabel}" already exists on PKCS#11 token "{tokenLabel}"',
    hint: 'use it, or pick another label (it may protect a store)',
  },
  TOKEN_REFUSED_GENERATE_BIT_AES: {
    code: 'HUSH_E_CONFIG',
    template: 'token "{tokenLabel}" refused to generate a 256-bit AES key ({err})',
    hint: 'check that it supports CKM_AES_KEY_GEN',
  },
  HSM_WRAPPED_BLOB_DAMAGED: {
    code: 'HUSH_E_INTEGRITY',
    template: 'the HSM-wrapped blob is damaged: {detail}',
  },
  NO_SECRET_KEY_LABELLED_PKCS: {
    code: 'HUSH_E_CONFIG',
    template: 'no secret key labelled "{keyLabel}" on PKCS#11 token "{tokenLabel}"; {tokenLabel2}',
  },
  NO_PIN_PKCS_TOKEN: {
    code: 'HUSH_E_UNSEAL_FAILED',
    template: 'no PIN for PKCS#11 token "{tokenLabel}"',
    hint: 'set HUSH_PKCS11_PIN or point seal.pinFile at a file holding it',
  },
  PKCS_TOKEN_OFFERS_NEITHER_CKM: {
    code: 'HUSH_E_CONFIG',
    template:
      'PKCS#11 token "{tokenLabel}" offers neither CKM_AES_GCM nor CKM_AES_KEY_WRAP_PAD; Hush needs one of them',
  },
  PKCS11JS_NATIVE_MODULE_CANNOT_LOADED: {
    code: 'HUSH_E_CONFIG',
    template: "the pkcs11js native module cannot be loaded ({split}); reinstall Hush's dependencies",
  },
  CANNOT_LOAD_PKCS_LIBRARY: {
    code: 'HUSH_E_CONFIG',
    template: 'cannot load the PKCS#11 library {library} ({err})',
    hint: 'install it (SoftHSM2: apt-get install -y softhsm2) or fix seal.library',
  },
  PKCS_LIBRARY_FAILED_INITIALISE: {
    code: 'HUSH_E_CONFIG',
    template: 'the PKCS#11 library {library} failed to initialise ({err})',
    hint: 'check its configuration (SoftHSM2: SOFTHSM2_CONF and its token directory)',
  },
  HSM_WRAPPED_BLOB_NOT_OPEN: {
    code: 'HUSH_E_INTEGRITY',
    template:
      'the HSM-wrapped blob does not open with this HSM key and purpose (tampered, or wrapped by another key)',
    hint: 'restore it from a backup or check the key label',
  },
  NO_PKCS_TOKEN_LABELLED_AVAILABLE: {
    code: 'HUSH_E_CONFIG',
    template: 'no PKCS#11 token labelled "{tokenLabel}" (available token labels: {have})',
    hint: 'fix tokenLabel or initialise the token (softhsm2-util --init-token --free --label {tokenLabel})',
  },
  PKCS_TOKENS_LABELLED_RELABEL_ALL: {
    code: 'HUSH_E_CONFIG',
    template:
      '{length} PKCS#11 tokens are labelled "{tokenLabel}"; relabel all but one so the right token is used',
  },
  PKCS_PIN_REJECTED_TOKEN_NOT: {
    code: 'HUSH_E_UNSEAL_FAILED',
    template:
      'the PKCS#11 PIN was rejected by token "{tokenLabel}"; not retried (repeated failures can lock the token): fix HUSH_PKCS11_PIN or the PIN file',
  },
  TOKEN_LOCKED_USER_PIN_AFTER: {
    code: 'HUSH_E_UNSEAL_FAILED',
    template:
      'token "{tokenLabel}" has locked its user PIN after too many failed logins; have the security officer reset it',
  },
  TOKEN_REFUSED_PKCS_PIN_MALFORMED: {
    code: 'HUSH_E_UNSEAL_FAILED',
    template: 'token "{tokenLabel}" refused the PKCS#11 PIN as malformed (wrong length or characters)',
    hint: 'fix HUSH_PKCS11_PIN or the PIN file',
  },
  TOKEN_NO_USER_PIN_YET: {
    code: 'HUSH_E_CONFIG',
    template: 'token "{tokenLabel}" has no user PIN yet',
    hint: 'set one (softhsm2-util --init-token sets it, or pkcs11-tool --init-pin)',
  },
  LOGIN_TOKEN_FAILED: {
    code: 'HUSH_E_UNSEAL_FAILED',
    template: 'login to token "{tokenLabel}" failed ({err})',
  },
  MORE_THAN_ONE_SECRET_KEY: {
    code: 'HUSH_E_CONFIG',
    template:
      'more than one secret key is labelled "{keyLabel}" on the token; relabel or delete the extra one so the right key is used',
  },
  HSM_KEY_LABEL_AMBIGUOUS: {
    code: 'HUSH_E_INVALID_INPUT',
    template:
      'more than one key on the token is labelled "{label}"; relabel or delete the extra one so the right key is used',
  },
  HSM_KEY_KIND_UNSUPPORTED: {
    code: 'HUSH_E_INVALID_INPUT',
    template:
      'HSM key "{label}" is {kind}; Hush signs with Ed25519, ECDSA P-256/P-384 and RSA 2048/3072/4096 keys',
  },
  HSM_SIGNING_TOKEN_NOT_CONFIGURED: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'no HSM signing token "{token}" is configured (configured: {have})',
    hint: 'add it under keys.hsmTokens in the server config (docs/keys.md)',
  },
  HSM_KEY_LABEL_EXISTS: {
    code: 'HUSH_E_ALREADY_EXISTS',
    template: 'a private key labelled "{label}" already exists on HSM token "{token}"',
    hint: 'import it by label, or pick another label',
  },
  HSM_REFUSED_KEY_PAIR: {
    code: 'HUSH_E_KEY_UNAVAILABLE',
    template: 'HSM token "{token}" refused to generate a {kind} key pair ({err})',
  },
  HSM_SIGN_FAILED: {
    code: 'HUSH_E_KEY_UNAVAILABLE',
    template: 'HSM key "{label}" on token "{token}" could not sign ({err})',
  },
  HSM_NO_KEY_PAIR_LABELLED: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'no key pair (private and public key) labelled "{label}" on HSM token "{token}"',
  },
} as const satisfies MessageTable;
