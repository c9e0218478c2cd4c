import type { z } from 'zod';
import { MAX_LIST_LIMIT } from './backend.js';

/** Validate a listing limit: absent means the maximum; larger values are clamped to it (shared by every backend). */
export function pageSize(limit: number | undefined): number {
  if (limit === undefined) return MAX_LIST_LIMIT;
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`list limit must be an integer >= 1, got ${limit}`);
  return Math.min(limit, MAX_LIST_LIMIT);
}

/** View a Uint8Array as a Buffer without copying it (drivers bind Buffers as BLOB/bytea). */
export function asBuffer(value: Uint8Array): Buffer {
  return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

/** A backend config's zod issues as one line: `field: rule; ...` (issues name fields and rules, never values). */
export function configProblems(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}
