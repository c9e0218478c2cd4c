/** JSON schemas of the secrets endpoints (validation and /v1/openapi.json). Unknown fields are errors. */

const tags = { type: 'object', additionalProperties: { type: 'string' }, maxProperties: 64 } as const;
const expiresAt = { anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }] } as const;
const versionNumber = { type: 'integer', minimum: 1 } as const;
const versionList = { type: 'array', items: versionNumber, minItems: 1, maxItems: 1000 } as const;

/** PUT/POST /v1/secrets/<address>. */
export const writeBodySchema = {
  type: 'object',
  required: ['value'],
  additionalProperties: false,
  properties: {
    value: { anyOf: [{ type: 'string' }, { type: 'object' }], description: 'a string or a JSON object' },
    cas: { type: 'integer', minimum: 0, description: 'expected current version; 0 = create only' },
    stage: { type: 'boolean', description: 'label the new version pending (rotation); readers keep current' },
    description: { type: 'string', maxLength: 1024 },
    tags,
    expiresAt,
  },
} as const;

/** PATCH /v1/metadata/<address>. */
export const metadataBodySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    cas: { type: 'integer', minimum: 0 },
    description: { type: 'string', maxLength: 1024 },
    tags,
    expiresAt,
  },
} as const;

/** DELETE /v1/secrets/<address>. */
export const deleteQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: { versions: { type: 'string', description: 'comma-separated versions; default the latest' } },
} as const;

/** POST /v1/secrets-undelete|destroy/<address>. */
export const versionsBodySchema = {
  type: 'object',
  additionalProperties: false,
  properties: { versions: versionList },
} as const;

/** POST /v1/secrets-rollback/<address>. */
export const rollbackBodySchema = {
  type: 'object',
  required: ['version'],
  additionalProperties: false,
  properties: { version: versionNumber, cas: { type: 'integer', minimum: 0 } },
} as const;

/** GET /v1/list/<prefix>. */
export const listQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    recursive: { type: 'string', enum: ['true', 'false', '1', '0'] },
    cursor: { type: 'string', maxLength: 4096 },
    limit: { type: 'string', pattern: '^[1-9][0-9]{0,4}$' },
  },
} as const;

/** POST /v1/move. */
export const moveBodySchema = {
  type: 'object',
  required: ['from', 'to'],
  additionalProperties: false,
  properties: {
    from: { type: 'string', maxLength: 512 },
    to: { type: 'string', maxLength: 512 },
    overwrite: { type: 'boolean' },
  },
} as const;

const format = { type: 'string', enum: ['env', 'dotenv', 'json', 'yaml'] } as const;

/** POST /v1/import/<prefix>. */
export const importBodySchema = {
  type: 'object',
  required: ['format', 'text'],
  additionalProperties: false,
  properties: { format, text: { type: 'string' }, overwrite: { type: 'boolean' } },
} as const;

/** GET /v1/export/<prefix>. */
export const exportQuerySchema = {
  type: 'object',
  required: ['format'],
  additionalProperties: false,
  properties: { format, recursive: { type: 'string', enum: ['true', 'false', '1', '0'] } },
} as const;

/** POST /v1/keys/<project>/<env>/rewrap. */
export const rewrapBodySchema = {
  type: 'object',
  additionalProperties: false,
  properties: { prune: { type: 'boolean' } },
} as const;

/** Bodies that carry nothing (POST /v1/keys/.../rotate, /v1/sys/rotate-root): `{}` or no body at all. */
export const emptyBodySchema = { type: 'object', additionalProperties: false, properties: {} } as const;

/** `?recursive=true|1` as a boolean. */
export function flag(text: string | undefined): boolean {
  return text === 'true' || text === '1';
}

/** preValidation for routes whose body is optional: no body at all validates as `{}`. */
export async function optionalBody(request: { body: unknown }): Promise<void> {
  if (request.body === undefined || request.body === null) request.body = {};
}
