import { join } from 'node:path';
import { hushError } from '../../core/errors/index.js';
import type { UnsealRoot } from '../../operator/root-key.js';
import { type BackendLocation, parseBackendUrl } from '../../storage/backend-location.js';
import { resolveDataDir } from '../local/data-dir.js';
import type { LocalFlags } from '../local/local-options.js';
import { localPaths } from '../local/local-paths.js';
import { remoteAddress } from '../remote/remote-address.js';
import { refuseAmbiguousStore } from './operator-store-choice.js';

/**
 * A backend URL flag, else the local store (--backend, HUSH_BACKEND, else the data directory: --data-dir,
 * HUSH_DATA_DIR, ./data, XDG default). With the
 * name of the URL flag (`--from`, `--to`) the store is one the command acts on: when HUSH_ADDR is set and neither
 * that flag nor --data-dir names it, it is refused (HUSH_E_USAGE) rather than silently taken to be the local store.
 */
export function locationOf(
  url: string | undefined,
  flags: LocalFlags,
  env: NodeJS.ProcessEnv,
  urlFlag?: '--from' | '--to',
): BackendLocation {
  if (url === undefined && urlFlag !== undefined) refuseAmbiguousStore(flags, env, urlFlag);
  if (url !== undefined) return parseBackendUrl(url);
  if (urlFlag !== undefined && remoteAddress(flags, env) !== undefined) {
    throw hushError('HUSH_ADDR_SET_BUT_COMMAND', { urlFlag });
  }
  return localPaths(flags, env).location;
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
    return rootKeyFromSealRow(sealRow, unsealingSeal(kind, keyFile, flags, env), material);
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
    throw hushError('FLAG_NOT_WHOLE_NUMBER', { flag, range: `${min}..${max}`, text: text.slice(0, 40) });
  }
  return n;
}
