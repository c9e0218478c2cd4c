import { hushError } from '../core/errors/index.js';
import { isDangerousEnvName } from './env-denylist.js';

/** An exported key that is also set in the exporting environment (names only, never a value). */
export interface ExportCollision {
  readonly name: string;
  readonly source: string;
}

/**
 * Check the keys of an env/dotenv export as `hush run` checks variable names: a key on the loader and interpreter
 * denylist (PATH, LD_PRELOAD, NODE_OPTIONS, ...) is refused unless the operator names it with `--map KEY=KEY`
 * (keys are exported as stored, so `--map` cannot rename here). Returns the keys that are already set in `env`, so
 * the caller can say that loading the file shadows (or is shadowed by) them.
 *
 * @example
 * checkExportEnvNames(['DB_URL'], 'app/prod', new Map(), { DB_URL: 'x' }); // [{ name: 'DB_URL', source: 'app/prod/DB_URL' }]
 */
export function checkExportEnvNames(
  keys: readonly string[],
  prefix: string,
  map: ReadonlyMap<string, string>,
  env: Readonly<Record<string, string | undefined>>,
): ExportCollision[] {
  for (const [src, dst] of map) {
    if (src !== dst) throw hushError('MAP_ENV_DOTENV_EXPORTS_KEEP', { src, dst });
    if (!keys.includes(src)) throw hushError('MAP_MATCHED_NO_EXPORTED_KEY', { src });
  }
  const base = prefix.replace(/\/+$/, '');
  const sourceOf = (key: string) => (base === '' ? key : `${base}/${key}`);
  for (const key of keys) {
    if (isDangerousEnvName(key) && !map.has(key))
      throw hushError('WOULD_EXPORTED_WHICH_MAKES_PROGRAMS', { source: sourceOf(key), key });
  }
  return keys.filter((k) => Object.hasOwn(env, k)).map((name) => ({ name, source: sourceOf(name) }));
}
