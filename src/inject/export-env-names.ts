import { HushError } from '../core/errors/hush-error.js';
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
    if (src !== dst)
      throw new HushError(
        'HUSH_E_USAGE',
        `--map ${src}=${dst}: env and dotenv exports keep the stored keys, so --map only names a denylisted key as itself (--map ${src}=${src}); rename with hush run or --format k8s-secret`,
      );
    if (!keys.includes(src))
      throw new HushError('HUSH_E_USAGE', `--map ${src}=${src} matched no exported key; check its spelling`);
  }
  const base = prefix.replace(/\/+$/, '');
  const sourceOf = (key: string) => (base === '' ? key : `${base}/${key}`);
  for (const key of keys) {
    if (isDangerousEnvName(key) && !map.has(key))
      throw new HushError(
        'HUSH_E_INVALID_INPUT',
        `${sourceOf(key)} would be exported as ${key}, which makes programs load or run code; it is refused unless you name it yourself with --map ${key}=${key} (see docs/injection.md)`,
      );
  }
  return keys.filter((k) => Object.hasOwn(env, k)).map((name) => ({ name, source: sourceOf(name) }));
}
