/** JSON schemas of the transit endpoints (validation and /v1/openapi.json). Values are base64 or hush:v<N>: strings. */
import { TRANSIT_KEY_TYPES } from '../../../core/transit/key-types.js';
import { RSA_SCHEMES, TRANSIT_HASHES } from '../../../core/transit/signature.js';

// Length caps keep one item's parse bounded; the body limit caps the request as a whole.
const b64 = { type: 'string', maxLength: 16 * 1024 * 1024 } as const;
const versioned = { type: 'string', maxLength: 16 * 1024 * 1024 } as const;
const keyVersion = { type: 'integer', minimum: 0 } as const;
const hashAlgorithm = { type: 'string', enum: [...TRANSIT_HASHES] } as const;

/** `:name` of a transit key. */
export const keyParams = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: { name: { type: 'string', pattern: '^[a-z0-9][a-z0-9_.-]{0,63}$' } },
} as const;

/** Body of POST /v1/transit/keys/:name. */
export const createKeyBody = {
  type: 'object',
  required: ['type'],
  additionalProperties: false,
  properties: {
    type: { type: 'string', enum: [...TRANSIT_KEY_TYPES] },
    derived: { type: 'boolean' },
    exportable: { type: 'boolean' },
    hsm: {
      type: 'object',
      additionalProperties: false,
      required: ['token'],
      properties: {
        token: { type: 'string', minLength: 1, maxLength: 63 },
        label: { type: 'string', minLength: 1, maxLength: 128 },
      },
    },
    autoRotatePeriod: { type: 'integer', minimum: 0 },
    signatureAlgorithm: { type: 'string', enum: [...RSA_SCHEMES] },
  },
} as const;

/** Body of POST /v1/transit/keys/:name/config. */
export const configKeyBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    minDecryptionVersion: { type: 'integer', minimum: 1 },
    minEncryptionVersion: keyVersion,
    deletionAllowed: { type: 'boolean' },
    exportable: { type: 'boolean' },
    autoRotatePeriod: { type: 'integer', minimum: 0 },
  },
} as const;

/** Body of POST /v1/transit/keys/:name/trim. */
export const trimKeyBody = {
  type: 'object',
  required: ['minAvailableVersion'],
  additionalProperties: false,
  properties: { minAvailableVersion: { type: 'integer', minimum: 1 } },
} as const;

/** An operation body: one item's fields at the top level, or `batch: [item, ...]` (not both). */
function itemBody(properties: Record<string, unknown>) {
  const item = { type: 'object', additionalProperties: false, properties } as const;
  return {
    type: 'object',
    additionalProperties: false,
    properties: { ...properties, batch: { type: 'array', items: item } },
  } as const;
}

const binding = { associatedData: b64, context: b64 };
const signing = {
  hashAlgorithm,
  prehashed: { type: 'boolean' },
  signatureAlgorithm: { type: 'string', enum: [...RSA_SCHEMES] },
};

export const encryptBody = itemBody({ plaintext: b64, keyVersion, ...binding });
export const decryptBody = itemBody({ ciphertext: versioned, ...binding });
export const rewrapBody = itemBody({ ciphertext: versioned, keyVersion, ...binding });
export const signBody = itemBody({ input: b64, keyVersion, ...signing });
export const verifyBody = itemBody({ input: b64, signature: versioned, ...signing });
export const hmacBody = itemBody({ input: b64, keyVersion, hashAlgorithm });
export const verifyHmacBody = itemBody({ input: b64, hmac: versioned, hashAlgorithm });

/** Body of POST /v1/transit/datakey/:name. */
export const datakeyBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    bits: { type: 'integer', enum: [128, 256, 512] },
    wrappedOnly: { type: 'boolean' },
    ...binding,
  },
} as const;

const format = { type: 'string', enum: ['base64', 'hex'] } as const;

/** Body of POST /v1/transit/random. */
export const randomBody = {
  type: 'object',
  additionalProperties: false,
  properties: { bytes: { type: 'integer', minimum: 1, maximum: 1024 }, format },
} as const;

/** Body of POST /v1/transit/hash. */
export const hashBody = {
  type: 'object',
  required: ['input'],
  additionalProperties: false,
  properties: { input: b64, algorithm: hashAlgorithm, format },
} as const;
