import { type HushError, isHushError } from '../core/errors/hush-error.js';
import { hushError } from '../core/errors/index.js';

/** Default most items of one batched transit request. */
export const DEFAULT_MAX_BATCH = 1000;

/** One item's outcome: its result, or the coded error that refused it (the others still ran). */
export type ItemResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: HushError };

/** Refuse a batch over `max` items (HUSH_E_TOO_LARGE) or an empty one (HUSH_E_INVALID_INPUT). */
export function checkBatchSize(count: number, max: number): void {
  if (count === 0) throw hushError('BATCH_EMPTY');
  if (count > max) {
    throw hushError(
      'BATCH_ITEMS_LIMIT_SPLIT',
      { count, max },
      {
        items: count,
        limit: max,
      },
    );
  }
}

/**
 * Run `fn` on every item; a coded error refuses only its item (partial failure is normal in a batch). Anything else
 * is a defect and is thrown.
 */
export function runItems<I, T>(items: readonly I[], fn: (item: I) => T): ItemResult<T>[] {
  return items.map((item) => {
    try {
      return { ok: true as const, value: fn(item) };
    } catch (err) {
      if (isHushError(err)) return { ok: false as const, error: err };
      throw err;
    }
  });
}
