/** JSON schemas of the sys endpoints (shared by validation, serialisation and /v1/openapi.json). */

const sealKind = { type: 'string', enum: ['shamir', 'key-file', 'rsa', 'pkcs11'] } as const;

/** Seal status, as returned by seal-status, unseal and seal. */
export const sealStatusSchema = {
  description: 'seal state of the store',
  type: 'object',
  required: ['initialized', 'sealed'],
  additionalProperties: false,
  properties: {
    initialized: { type: 'boolean' },
    sealed: { type: 'boolean' },
    kind: sealKind,
    threshold: { type: 'integer' },
    shares: { type: 'integer' },
    progress: { type: 'integer', description: 'shamir: shares given so far on this node (one per call)' },
    nonce: { type: 'string', description: 'shamir: id of the unseal under way on this node' },
  },
} as const;

/** Health body (Vault-like). */
export const healthSchema = {
  description: 'health: 200 unsealed, 503 sealed, 501 not initialised',
  type: 'object',
  required: ['initialized', 'sealed', 'version', 'serverTimeUtc'],
  additionalProperties: false,
  properties: {
    initialized: { type: 'boolean' },
    sealed: { type: 'boolean' },
    version: { type: 'string' },
    serverTimeUtc: { type: 'integer', description: 'seconds since the epoch' },
  },
} as const;

/** POST /v1/sys/init body. */
export const initBodySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    shares: { type: 'integer', minimum: 1, maximum: 255 },
    threshold: { type: 'integer', minimum: 1, maximum: 255 },
  },
} as const;

/** POST /v1/sys/init reply: one-time material, shown once. */
export const initReplySchema = {
  description: 'one-time unseal material and root token; store them safely, they are not shown again',
  type: 'object',
  additionalProperties: false,
  properties: {
    shares: { type: 'array', items: { type: 'string' } },
    threshold: { type: 'integer' },
    rootToken: { type: 'string' },
  },
} as const;

/** POST /v1/sys/unseal body: the material the configured seal needs ({} for a key-file seal). */
export const unsealBodySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    shares: {
      type: 'array',
      minItems: 1,
      maxItems: 255,
      items: { type: 'string', minLength: 1, maxLength: 4096 },
    },
    privateKeyPem: { type: 'string', minLength: 1, maxLength: 65536 },
    passphrase: { type: 'string', maxLength: 4096 },
    key: {
      type: 'string',
      minLength: 1,
      maxLength: 4096,
      description: 'shamir: one share; progress is kept',
    },
    reset: { type: 'boolean', description: 'shamir: drop the shares given so far' },
    nonce: { type: 'string', maxLength: 64, description: 'shamir: the unseal under way (optional check)' },
  },
} as const;

/** POST /v1/sys/generate-root reply: a new root token, shown once. */
export const rootTokenReplySchema = {
  description: 'a new root token (policy root, no expiry); store it safely, it is not shown again',
  type: 'object',
  required: ['rootToken'],
  additionalProperties: false,
  properties: { rootToken: { type: 'string' } },
} as const;
