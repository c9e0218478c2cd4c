import { PKI_KEY_TYPES } from '../../../core/certs/pki-role.js';

const name = { type: 'string', minLength: 1, maxLength: 64 } as const;
const ttl = { type: 'integer', minimum: 1, maximum: 100 * 366 * 86_400 } as const;

/** Role and other path parameters. */
export const roleParams = {
  type: 'object',
  required: ['name'],
  properties: { name },
} as const;

/** `POST /v1/pki/ca`: set up the root and intermediate. */
export const caInitBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    commonName: { type: 'string', minLength: 1, maxLength: 64 },
    organization: { type: 'string', minLength: 1, maxLength: 64 },
    keyType: { type: 'string', enum: ['ec-p256', 'ec-p384', 'rsa-2048', 'rsa-3072', 'rsa-4096'] },
    rootTtlDays: { type: 'integer', minimum: 1, maximum: 36_500 },
    intermediateTtlDays: { type: 'integer', minimum: 1, maximum: 36_500 },
    crlUrls: {
      type: 'array',
      maxItems: 4,
      items: { type: 'string', pattern: '^https?://', minLength: 8, maxLength: 512 },
    },
    hsm: {
      type: 'object',
      additionalProperties: false,
      required: ['token'],
      properties: { token: { type: 'string', minLength: 1, maxLength: 63 } },
    },
  },
} as const;

/** `PUT /v1/pki/roles/<name>`. */
export const roleBody = {
  type: 'object',
  additionalProperties: false,
  required: ['allowedDomains'],
  properties: {
    allowedDomains: { type: 'array', maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 253 } },
    allowBareDomains: { type: 'boolean' },
    allowSubdomains: { type: 'boolean' },
    allowGlobs: { type: 'boolean' },
    allowWildcards: { type: 'boolean' },
    allowIpSans: { type: 'boolean' },
    keyTypes: {
      type: 'array',
      minItems: 1,
      maxItems: 6,
      items: { type: 'string', enum: [...PKI_KEY_TYPES] },
    },
    maxTtlSeconds: ttl,
    ttlSeconds: ttl,
    usages: {
      type: 'array',
      minItems: 1,
      maxItems: 2,
      items: { type: 'string', enum: ['server', 'client'] },
    },
  },
} as const;

const issueProps = {
  commonName: { type: 'string', minLength: 1, maxLength: 253 },
  altNames: { type: 'array', maxItems: 200, items: { type: 'string', minLength: 1, maxLength: 253 } },
  ttlSeconds: ttl,
} as const;

/** `POST /v1/pki/issue/<role>`. */
export const issueBody = {
  type: 'object',
  additionalProperties: false,
  properties: { ...issueProps, keyType: { type: 'string', maxLength: 32 } },
} as const;

/** `POST /v1/pki/sign/<role>`: a PKCS#10 request in PEM. */
export const signBody = {
  type: 'object',
  additionalProperties: false,
  required: ['csr'],
  properties: { ...issueProps, csr: { type: 'string', minLength: 1, maxLength: 65_536 } },
} as const;

/** `POST /v1/pki/revoke`. */
export const revokeBody = {
  type: 'object',
  additionalProperties: false,
  required: ['serial'],
  properties: { serial: { type: 'string', minLength: 1, maxLength: 128 } },
} as const;
