import { hushError } from '../../core/errors/index.js';
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
      throw hushError('DESCRIPTION_CHARACTERS_LIMIT', {
        length: options.description.length,
        description: LIMITS.description,
      });
    }
    next.description = options.description;
  }
  if (options.tags !== undefined) next.tags = checkedTags(options.tags);
  if (options.expiresAt === null) delete next.expiresAt;
  else if (options.expiresAt !== undefined) {
    const when = new Date(options.expiresAt);
    if (Number.isNaN(when.getTime())) {
      throw hushError('STORE_EXPIRES_MUST_ISO_DATE_SUCH', { expiresAt: options.expiresAt });
    }
    next.expiresAt = when.toISOString();
  }
  return next;
}

function checkedTags(tags: Readonly<Record<string, string>>): Record<string, string> {
  const entries = Object.entries(tags);
  if (entries.length > LIMITS.tags)
    throw hushError('TOO_MANY_TAGS', { length: entries.length, tags: LIMITS.tags });
  for (const [name, value] of entries) {
    if (typeof value !== 'string') throw hushError('TAG_VALUE_NOT_STRING', { name, value: typeof value });
    if (name.length === 0 || name.length > LIMITS.tagName) {
      throw hushError('TAG_NAME_LENGTH_INVALID', { tagName: LIMITS.tagName, length: name.length });
    }
    if (value.length > LIMITS.tagValue) {
      throw hushError('TAG_VALUE_TOO_LONG', { name, length: value.length, tagValue: LIMITS.tagValue });
    }
  }
  return Object.fromEntries(entries);
}
