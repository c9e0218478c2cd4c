/** The secret operations' replies (`/v1/secrets/...`, `/v1/metadata/...`): the shapes the store returns, over JSON. */
import { z } from 'zod';
import { secretMetadataSchema, VERSION_LABELS } from '../core/secrets/secret-metadata.js';
import { defineRoute } from './contract.js';

const tags = ['secrets'] as const;

/**
 * A secret's value: a string or a JSON object. Declared as any JSON on purpose: the read is the hot path, and a
 * union here would make the serialiser validate the value to pick a branch; JSON.stringify of it is exact already.
 */
const secretValue = z.unknown();

/** A secret version as read. */
export const secretRead = z.object({
  path: z.string(),
  version: z.int(),
  value: secretValue,
  createdAt: z.string(),
  createdBy: z.string(),
  description: z.string().optional(),
  tags: z.record(z.string(), z.string()),
  expiresAt: z.string().optional(),
});

/** A secret's metadata and version history (no values). */
export const secretInfo = secretMetadataSchema
  .extend({ path: z.string(), versions: secretMetadataSchema.shape.versions.readonly() })
  .strip();

/** The version a write created. */
export const putResult = z.object({
  path: z.string(),
  version: z.int(),
  createdAt: z.string(),
  /** Set when the write was staged: the version is labelled `pending`. */
  label: z.literal('pending').optional(),
});

/** `/v1/secrets/*` and `/v1/metadata/*`. */
export const secretsApi = {
  read: defineRoute({
    method: 'GET',
    path: '/v1/secrets/*',
    summary: 'Read a secret (served version, or ?version= / ?label=pending|current|previous)',
    tags,
    querystring: z.strictObject({
      version: z
        .string()
        .regex(/^[1-9][0-9]{0,9}$/)
        .optional(),
      label: z.enum(VERSION_LABELS).optional(),
    }),
    reply: secretRead,
  }),
  metadata: defineRoute({
    method: 'GET',
    path: '/v1/metadata/*',
    summary: 'Metadata and version list of a secret (no value)',
    tags,
    reply: secretInfo,
  }),
} as const;
