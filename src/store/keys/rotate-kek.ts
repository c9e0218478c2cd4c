import { rotateKeyring } from '../../core/crypto/keyring.js';
import { HushError } from '../../core/errors/hush-error.js';
import { retryOnConflict } from '../../storage/retry-on-conflict.js';
import type { StoreContext } from '../context.js';
import { parseScope } from '../scope.js';

/** A keyring's versions after a change (never the keys). */
export interface KeyringSummary {
  readonly scope: string;
  /** The version new writes use. */
  readonly current: number;
  readonly versions: readonly { readonly version: number; readonly createdAt: string }[];
}

/** Build `rotateKek`: add a KEK version to a project/environment keyring; new writes use it, old data still opens. */
export function createRotateKek(ctx: Pick<StoreContext, 'barrier' | 'clock'>) {
  return async function rotateKek(scope: string): Promise<KeyringSummary> {
    const s = parseScope(scope);
    return retryOnConflict(async () => {
      const opened = await ctx.barrier.keyring(s.project, s.environment, false);
      if (!opened) {
        throw new HushError(
          'HUSH_E_NOT_FOUND',
          `${s.text} has no keyring yet (nothing was ever written there); write a secret first`,
          { path: s.text },
        );
      }
      const ring = rotateKeyring(opened.ring, ctx.clock());
      await ctx.barrier.saveKeyring(s.project, s.environment, ring, opened.revision);
      return summarize(s.text, ring);
    });
  };
}

/** The non-secret view of a keyring. */
export function summarize(
  scope: string,
  ring: { current: number; versions: readonly { version: number; createdAt: string }[] },
): KeyringSummary {
  return {
    scope,
    current: ring.current,
    versions: ring.versions.map(({ version, createdAt }) => ({ version, createdAt })),
  };
}
