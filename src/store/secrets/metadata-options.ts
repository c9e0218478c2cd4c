import { HushError } from '../../core/errors/hush-error.js';
import type { SecretMetadata } from '../../core/secrets/secret-metadata.js';

/** Descriptive metadata a caller may set on a secret (stored encrypted, like the value). */
export interface MetadataOptions {
  /** Free text, at most 1024 characters. */
  readonly description?: string;
  /** Replaces all tags; at most 64, names <= 128 and values <= 256 characters. */
  readonly tags?: Readonly<Record<string, string>>;
  /** ISO 8601 date after which the secret should be rotated; null clears it. Informational: reads still work. */
  readonly expiresAt?: string | null;
}

const LIMITS = { description: 1024, tags: 64, tagName: 128, tagValue: 256 } as const;

/** Validate and apply metadata options (undefined fields keep their old value). */
export function applyMetadataOptions(meta: SecretMetadata, options: MetadataOptions): SecretMetadata {
  const next: SecretMetadata = { ...meta };
  if (options.description !== undefined) {
    if (options.description.length > LIMITS.description) {
      throw invalid(
        `description is ${options.description.length} characters; the limit is ${LIMITS.description}`,
      );
    }
    next.description = options.description;
  }
  if (options.tags !== undefined) next.tags = checkedTags(options.tags);
  if (options.expiresAt === null) delete next.expiresAt;
  else if (options.expiresAt !== undefined) {
    const when = new Date(options.expiresAt);
    if (Number.isNaN(when.getTime())) {
      throw invalid(
        `expiresAt must be an ISO 8601 date such as 2027-01-31T00:00:00Z, found "${options.expiresAt}"`,
      );
    }
    next.expiresAt = when.toISOString();
  }
  return next;
}

function checkedTags(tags: Readonly<Record<string, string>>): Record<string, string> {
  const entries = Object.entries(tags);
  if (entries.length > LIMITS.tags)
    throw invalid(`${entries.length} tags given; the limit is ${LIMITS.tags}`);
  for (const [name, value] of entries) {
    if (typeof value !== 'string')
      throw invalid(`tag ${name} must have a string value, found ${typeof value}`);
    if (name.length === 0 || name.length > LIMITS.tagName) {
      throw invalid(`tag names must be 1..${LIMITS.tagName} characters, found ${name.length}`);
    }
    if (value.length > LIMITS.tagValue) {
      throw invalid(`tag ${name} is ${value.length} characters; the limit is ${LIMITS.tagValue}`);
    }
  }
  return Object.fromEntries(entries);
}

function invalid(message: string): HushError {
  return new HushError('HUSH_E_INVALID_INPUT', message);
}
