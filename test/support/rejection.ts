import { HushError } from '../../src/core/errors/hush-error.js';

/** The HushError a promise rejects with; fails the test when it resolves or rejects with anything else. */
export async function rejection(p: Promise<unknown>): Promise<HushError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof HushError) return err;
    throw err;
  }
  throw new Error('expected a HushError, but the call succeeded');
}
