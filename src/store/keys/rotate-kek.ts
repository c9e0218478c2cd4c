import { rotateKeyring } from '../../core/crypto/keyring.js';
import { hushError } from '../../core/errors/index.js';
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
        throw hushError('NO_KEYRING_YET_NOTHING_EVER', { text: s.text }, { path: s.text });
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
