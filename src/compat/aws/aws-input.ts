import type { z } from 'zod';
import { AwsError } from './aws-error.js';

/**
 * Parse an operation's input with its schema; a mismatch is AWS's ValidationException naming the member, e.g.
 * `1 validation error detected: Value at 'SecretId' failed to satisfy constraint: Required`.
 */
export function parseInput<T extends z.ZodTypeAny>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const member = issue?.path.join('.') || 'input';
  throw new AwsError(
    'ValidationException',
    `1 validation error detected: Value at '${member}' failed to satisfy constraint: ${issue?.message ?? 'invalid'}`,
  );
}
