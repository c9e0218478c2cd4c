import type { MessageTable } from '../message-template.js';

/** Messages raised under src/certs/ (ids are unique across every domain file). */
export const certsMessages = {
  ENDPOINT_NAME_FAILED: { code: 'HUSH_E_UPSTREAM', template: 'endpoint {name}: failed' },
  SPKI_SHA256_MUST_LOWER_CASE: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'spkiSha256 must be 64 lower-case hex digits, got {length} characters',
  },
  GIVE_SHA_FINGERPRINT_HEX_LEAST: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'give a SHA-256 fingerprint (hex, at least 8 digits)',
    hint: 'see hush certs list',
  },
  PKCS12_WRONG_PASSWORD: {
    code: 'HUSH_E_INVALID_INPUT',
    template: "{label}: wrong PKCS#12 password (the bundle's integrity check failed)",
  },
  PKCS12_NOT_READABLE: {
    code: 'HUSH_E_INVALID_INPUT',
    template: '{label}: not a readable PKCS#12 bundle ({err})',
  },
  PKCS12_OPENSSL_TIMEOUT: {
    code: 'HUSH_E_UPSTREAM',
    template: '{label}: openssl pkcs12 did not finish within {timeoutMs} ms and was stopped',
    hint: 'check that `openssl pkcs12` works on this host; a bundle with an absurd key-derivation iteration count takes this long on purpose',
  },
  READING_PKCS_NEEDS_OPENSSL_COMMAND: {
    code: 'HUSH_E_CONFIG',
    template: 'reading PKCS#12 needs the openssl command',
    hint: 'install it (e.g. apt-get install openssl)',
  },
  ENDPOINT_NAME_ERR: { code: 'HUSH_E_UPSTREAM', template: 'endpoint {name}: {err}' },
  CERT_FINGERPRINT_AMBIGUOUS: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'fingerprint prefix {want} matches {count} certificates',
    hint: 'give more digits',
  },
  CERT_NOT_FOUND: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'no certificate with fingerprint {want}',
    hint: 'see hush certs list',
  },
  CERT_INVENTORY_FULL: {
    code: 'HUSH_E_TOO_LARGE',
    template:
      '{location}: the inventory holds {count} certificates, its limit (certs.maxItems); {refused} new certificate(s) not added',
    hint: 'raise certs.maxItems',
  },
  CERT_INPUT_TOO_MANY: {
    code: 'HUSH_E_TOO_LARGE',
    template: '{location}: holds {count} distinct certificates; one input may hold at most {max}',
  },
} as const satisfies MessageTable;
