import { expect } from 'vitest';
import type { ErrorCode } from '../../src/core/errors/error-catalogue.js';
import { HushError } from '../../src/core/errors/hush-error.js';

/** Run `fn`, assert it throws a one-line HushError with `code` (never returns), and give the error back for more checks. */
export function expectHushError(fn: () => unknown, code: ErrorCode): HushError {
  let result: unknown;
  try {
    result = fn();
  } catch (err) {
    expect(err).toBeInstanceOf(HushError);
    expect((err as HushError).code).toBe(code);
    // House rule: every user-facing error is one line.
    expect((err as HushError).message).not.toContain('\n');
    return err as HushError;
  }
  throw new Error(`expected ${code} but the call returned ${describe(result)}`);
}

/** Async twin of {@link expectHushError}: the promise must reject with a one-line HushError carrying `code`. */
export async function expectHushErrorAsync(promise: Promise<unknown>, code: ErrorCode): Promise<HushError> {
  let result: unknown;
  try {
    result = await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(HushError);
    expect((err as HushError).code).toBe(code);
    // House rule: every user-facing error is one line.
    expect((err as HushError).message).not.toContain('\n');
    return err as HushError;
  }
  throw new Error(`expected ${code} but the promise resolved to ${describe(result)}`);
}

function describe(value: unknown): string {
  return value instanceof Uint8Array ? `${value.length} bytes` : typeof value;
}
