import { STARTTLS_PROTOCOLS } from '../../../certs/starttls.js';

/** `POST /v1/certs/items`: certificates as PEM text with where they came from. */
export const uploadBody = {
  type: 'object',
  additionalProperties: false,
  required: ['items'],
  properties: {
    items: {
      type: 'array',
      maxItems: 1000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['source', 'location', 'pem'],
        properties: {
          source: { type: 'string', enum: ['file', 'k8s', 'scan', 'upload'] },
          location: { type: 'string', minLength: 1, maxLength: 1024 },
          pem: { type: 'string', maxLength: 1_000_000 },
        },
      },
    },
    trustAnchor: { type: 'boolean' },
  },
} as const;

/** `POST /v1/certs/keys`: where private keys were found, by their public key's SPKI SHA-256 only. */
export const keysBody = {
  type: 'object',
  additionalProperties: false,
  required: ['keys'],
  properties: {
    keys: {
      type: 'array',
      maxItems: 10_000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['spkiSha256', 'location'],
        properties: {
          spkiSha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
          location: { type: 'string', minLength: 1, maxLength: 1024 },
        },
      },
    },
  },
} as const;

/** `POST /v1/certs/probe`: endpoints to probe now (and remember for the scheduled probes). */
export const probeBody = {
  type: 'object',
  additionalProperties: false,
  required: ['targets'],
  properties: {
    targets: {
      type: 'array',
      minItems: 1,
      maxItems: 500,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['host', 'port'],
        properties: {
          host: { type: 'string', minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9.:_-]+$' },
          port: { type: 'integer', minimum: 1, maximum: 65535 },
          servername: { type: 'string', minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9._-]+$' },
          starttls: { type: 'string', enum: [...STARTTLS_PROTOCOLS] },
        },
      },
    },
    remember: { type: 'boolean' },
  },
} as const;

/** `POST /v1/certs/scan-secrets`. */
export const scanSecretsBody = {
  type: 'object',
  additionalProperties: false,
  properties: { prefix: { type: 'string', maxLength: 1024 } },
} as const;
