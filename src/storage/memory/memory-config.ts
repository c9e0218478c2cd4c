import { z } from 'zod';
import { hushError } from '../../core/errors/index.js';
import { configProblems } from '../backend-helpers.js';

/** The memory backend takes no settings; the schema exists so every adapter folder has the same face. */
export const memoryConfigSchema = z.strictObject({});

/** Configuration as written by a caller. */
export type MemoryConfigInput = z.input<typeof memoryConfigSchema>;

/** Validated configuration. */
export type MemoryConfig = Readonly<z.output<typeof memoryConfigSchema>>;

/** Validate a memory storage config (unknown keys are errors, as for every adapter). */
export function parseMemoryConfig(input: unknown): MemoryConfig {
  const parsed = memoryConfigSchema.safeParse(input);
  if (!parsed.success) {
    throw hushError('INVALID_MEMORY_STORAGE_CONFIG', { problems: configProblems(parsed.error) });
  }
  return Object.freeze(parsed.data);
}
