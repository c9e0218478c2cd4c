import { join } from 'node:path';
import { HushError } from '../../core/errors/hush-error.js';
import type { UnsealRoot } from '../../operator/root-key.js';
import { type BackendLocation, dataDirLocation, parseBackendUrl } from '../../storage/backend-url.js';
import { resolveDataDir } from '../local/data-dir.js';
import type { LocalFlags } from '../local/local-options.js';

/** A backend URL flag, else the local data directory (--data-dir, HUSH_DATA_DIR, XDG default). */
export function locationOf(
  url: string | undefined,
  flags: LocalFlags,
  env: NodeJS.ProcessEnv,
): BackendLocation {
  return url !== undefined ? parseBackendUrl(url) : dataDirLocation(resolveDataDir(flags.dataDir, env));
}

/**
 * Recover a store's root key from its seal row with the operator's unseal material (the same flags and variables
 * as every local command). The key-file seal's default file is `root.key` in the location's data dir.
 */
export function unsealRootWith(
  flags: LocalFlags,
  env: NodeJS.ProcessEnv,
  location: BackendLocation,
): UnsealRoot {
  return async (sealRow) => {
    const [{ rootKeyFromSealRow, sealKindOf }, { unsealingSeal }, { readUnsealMaterial }] = await Promise.all(
      [
        import('../../operator/root-key.js'),
        import('../local/open-local-store.js'),
        import('../local/unseal-material.js'),
      ],
    );
    const kind = sealKindOf(sealRow);
    const dataDir =
      location.kind === 'sqlite' && location.dataDir ? location.dataDir : resolveDataDir(flags.dataDir, env);
    const keyFile = flags.keyFile ?? env['HUSH_KEY_FILE'] ?? join(dataDir, 'root.key');
    const material = await readUnsealMaterial(kind, flags, { env });
    return rootKeyFromSealRow(sealRow, unsealingSeal(kind, keyFile), material);
  };
}

/** Parse a positive integer option within bounds, or fail with a one-line usage error naming the flag. */
export function intOption(
  text: string | undefined,
  flag: string,
  min: number,
  max: number,
): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new HushError(
      'HUSH_E_USAGE',
      `${flag} takes a whole number ${min}..${max}, got "${text.slice(0, 40)}"`,
    );
  }
  return n;
}
