import type { MessageTable } from '../message-template.js';

/** Messages raised under src/compat/ (ids are unique across every domain file). */
export const compatMessages = {
  AWS_ACCESS_KEY_NOT_FOUND: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'no AWS access key {accessKeyId}',
    hint: 'run `hush aws keys list` to see the keys that exist',
  },
  KV_V2_WRITE_NEEDS_DATA: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'the KV v2 write needs "data" to be a JSON object',
  },
  FIELD_MUST_STRING: { code: 'HUSH_E_INVALID_INPUT', template: '{field} must be a string' },
  FIELD_REQUIRED: { code: 'HUSH_E_INVALID_INPUT', template: '{field} is required' },
  KEY_VERSION_MUST_WHOLE_NUMBER: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'key_version must be a whole number',
  },
  MARSHALING_ALGORITHM_ONLY_ASN1_SUPPORTED: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'marshaling_algorithm: only asn1 is supported by Hush',
  },
  NOT_FORM_VAULT_V_VERSION: {
    code: 'HUSH_E_TRANSIT_INVALID',
    template: '{what} is not of the form vault:v<version>:<base64> ({length} characters)',
  },
} as const satisfies MessageTable;
