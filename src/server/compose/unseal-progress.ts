import { randomBytes } from 'node:crypto';
import { isHushError } from '../../core/errors/hush-error.js';
import { hushError } from '../../core/errors/index.js';
import type { UnsealMaterial } from '../../seal/seal.js';

/** The shamir unseal under way on this node: shares given one per call, kept in memory until the threshold. */
export interface UnsealProgress {
  readonly nonce: string;
  readonly progress: number;
  readonly threshold: number;
}

/** How long shares given one per call are kept without a new one (default 10 minutes), and the clock. */
export interface ShareCollectorOptions {
  readonly ttlMs?: number;
  readonly now?: () => number;
}

/**
 * Collect shamir shares one per call (as Vault's sys/unseal). Each new share is checked with the seal at once, with
 * the shares before it: well-formed shares of this store, short of the threshold, are "honest progress" (the seal
 * answers `got N of T required shares`) and are kept; a malformed, foreign or duplicate share is dropped and its error
 * thrown (the caller counts it as a failed attempt). At the threshold the collected shares are handed back for the
 * unseal, and progress starts over whether they recover the key or not: one wrong share (below the threshold a share
 * cannot be checked) must not keep every later attempt failing. Shares not followed by another within `ttlMs` are
 * forgotten, so an abandoned unseal does not keep key material in memory.
 */
export function createShareCollector(
  check: (material: UnsealMaterial) => Promise<void>,
  options: ShareCollectorOptions = {},
) {
  const ttlMs = options.ttlMs ?? 10 * 60_000;
  const now = options.now ?? Date.now;
  let current: { nonce: string; shares: string[]; threshold: number; at: number } | undefined;
  const expire = (): void => {
    if (current && now() - current.at > ttlMs) current = undefined;
  };
  // One share at a time: two concurrent calls must not both extend the same list.
  let queue: Promise<unknown> = Promise.resolve();

  async function add(key: string, nonce: string | undefined): Promise<string[] | undefined> {
    expire();
    if (nonce !== undefined && nonce !== current?.nonce) {
      throw current
        ? hushError('UNSEAL_NONCE_UNKNOWN', {
            length: current.shares.length,
            threshold: current.threshold,
          })
        : hushError('NO_UNSEAL_UNDER_WAY_NODE');
    }
    const shares = [...(current?.shares ?? []), key];
    try {
      await check({ shares });
    } catch (err) {
      const details = isHushError(err, 'HUSH_E_UNSEAL_FAILED') ? err.details : undefined;
      const required = details?.['required'];
      if (
        typeof required === 'number' &&
        details?.['supplied'] === shares.length &&
        required > shares.length
      ) {
        current = {
          nonce: current?.nonce ?? randomBytes(16).toString('hex'),
          shares,
          threshold: required,
          at: now(),
        };
        return undefined;
      }
      // A share the seal rejects on its own (malformed, foreign, duplicate) is dropped and the shares before it stay;
      // a full set that does not recover the key starts over (which share is wrong cannot be told).
      if (!(isHushError(err, 'HUSH_E_UNSEAL_FAILED') && typeof details?.['share'] === 'number'))
        current = undefined;
      throw err;
    }
    current = undefined;
    return shares;
  }

  return {
    /** The unseal under way, if any (no share material). */
    state(): UnsealProgress | undefined {
      expire();
      return current
        ? { nonce: current.nonce, progress: current.shares.length, threshold: current.threshold }
        : undefined;
    },
    /** Forget the shares given so far. */
    reset(): void {
      current = undefined;
    },
    /** Add one share: the shares to unseal with once the threshold is reached, else undefined (progress kept). */
    add(key: string, nonce?: string): Promise<string[] | undefined> {
      const run = queue.then(() => add(key, nonce));
      queue = run.catch(() => undefined);
      return run;
    },
  };
}
