import { z } from 'zod';
import { hushError } from '../errors/index.js';

/** The lifecycle of one version: readable, soft-deleted (recoverable), or destroyed (data key shredded). */
export type VersionState = 'active' | 'deleted' | 'destroyed';

const versionSchema = z.strictObject({
  version: z.number().int().positive(),
  state: z.enum(['active', 'deleted', 'destroyed']),
  createdAt: z.string(),
  createdBy: z.string(),
  deletedAt: z.string().optional(),
  deletedBy: z.string().optional(),
  destroyedAt: z.string().optional(),
  destroyedBy: z.string().optional(),
});

/** The staging labels a version can carry (rotation): the one being rolled out, the one served, the one before. */
export const VERSION_LABELS = ['pending', 'current', 'previous'] as const;
/** One of {@link VERSION_LABELS}. */
export type VersionLabel = (typeof VERSION_LABELS)[number];

const labelsSchema = z.strictObject({
  pending: z.number().int().positive().optional(),
  current: z.number().int().positive().optional(),
  previous: z.number().int().positive().optional(),
});

/** Label -> version; absent on secrets that were never staged (then reads serve the latest version). */
export type VersionLabels = z.infer<typeof labelsSchema>;

/** The schema of {@link SecretMetadata} (also the wire contract of a secret's metadata, src/api/secrets.ts). */
export const secretMetadataSchema = z.strictObject({
  current: z.number().int().nonnegative(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
  description: z.string().optional(),
  tags: z.record(z.string(), z.string()),
  expiresAt: z.string().optional(),
  versions: z.array(versionSchema),
  labels: labelsSchema.optional(),
});

/** Per-version bookkeeping kept in the (encrypted) metadata record. */
export type VersionInfo = z.infer<typeof versionSchema>;

/** Everything about a secret except its values; encrypted at rest like the values. */
export type SecretMetadata = z.infer<typeof secretMetadataSchema>;

/** Serialise metadata to bytes (JSON) for encryption. */
export function encodeMetadata(meta: SecretMetadata): Buffer {
  return Buffer.from(JSON.stringify(meta), 'utf8');
}

/** Parse decrypted metadata bytes; a bad shape is an integrity failure (it authenticated, so it is a bug or corruption). */
export function decodeMetadata(bytes: Uint8Array, where: string): SecretMetadata {
  try {
    return secretMetadataSchema.parse(JSON.parse(Buffer.from(bytes).toString('utf8')));
  } catch {
    throw hushError('METADATA_UNEXPECTED_SHAPE_RECORD_CORRUPT', { where });
  }
}
