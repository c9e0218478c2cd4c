import { expect } from 'vitest';
import type { ErrorCode } from '../../src/core/errors/error-catalogue.js';
import { HushError } from '../../src/core/errors/hush-error.js';

/** Await `promise`, expect it to reject with a HushError of `code`, and return that error for more checks. */
export async function expectHushError(promise: Promise<unknown>, code: ErrorCode): Promise<HushError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `expected a rejection with ${code}`).toBeInstanceOf(HushError);
  expect((err as HushError).code).toBe(code);
  expect((err as HushError).message).not.toContain('\n');
  return err as HushError;
}
