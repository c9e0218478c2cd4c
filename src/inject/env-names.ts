import { hushError } from '../core/errors/index.js';
import { loneSurrogateAt, loneSurrogateError } from '../core/secrets/lone-surrogate.js';
import type { SecretValue } from '../core/secrets/value-codec.js';
import { isDangerousEnvName } from './env-denylist.js';
import { globMatches } from './glob.js';

/** A secret read below one of the requested prefixes. */
export interface PrefixedSecret {
  /** The full address, e.g. `payments/prod/db/password`. */
  readonly path: string;
  /** The prefix it was found under, e.g. `payments/prod`. */
  readonly prefix: string;
  readonly value: SecretValue;
}

/** How object values become variables: one per field (`DB_USER`), or the whole object as JSON text (`DB`). */
export type FieldsMode = 'expand' | 'json';

/** Name-mapping options (the flags of `hush run` / `hush export --format k8s-secret`). */
export interface EnvMappingOptions {
  /** Prepended to every derived name (not to `--map` targets), e.g. `APP_`. */
  readonly envPrefix?: string;
  /** `--map SRC=DST`: SRC is a derived name (without envPrefix) or a relative path (`db/password`, `db#user`). */
  readonly map?: ReadonlyMap<string, string>;
  /** Globs over the path relative to its prefix; when given, only matching secrets are used. */
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
  readonly fields?: FieldsMode;
}

/** One environment variable and where it came from (`path` or `path#field`; never the value in messages). */
export interface EnvVar {
  readonly name: string;
  readonly value: string;
  readonly source: string;
}

const VALID_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The default variable name of a path below its prefix: `/`, `-` and `.` become `_`, upper-cased.
 *
 * @example
 * envNameOf('db/password'); // 'DB_PASSWORD'
 */
export function envNameOf(relative: string): string {
  return relative.replace(/[/.-]/g, '_').toUpperCase();
}

/** A field name as a variable-name suffix: any character outside `A-Z a-z 0-9 _` becomes `_`, upper-cased. */
export function fieldSuffixOf(field: string): string {
  return field.replace(/[^A-Za-z0-9_]/g, '_').toUpperCase();
}

/** The path of a secret relative to its prefix (`payments/prod/db/password` under `payments/prod` -> `db/password`). */
export function relativePath(secret: Pick<PrefixedSecret, 'path' | 'prefix'>): string {
  const prefix = secret.prefix.replace(/\/+$/, '');
  return secret.path.startsWith(`${prefix}/`) ? secret.path.slice(prefix.length + 1) : secret.path;
}

/**
 * Map secrets to environment variables. Errors (coded, naming the secrets, never values): two sources giving one
 * name, a resulting name that is not a valid variable name, a `--map` source that matched nothing.
 *
 * @example
 * mapSecretsToEnv([{ path: 'p/e/db', prefix: 'p/e', value: { user: 'u' } }]); // [{ name: 'DB_USER', ... }]
 */
export function mapSecretsToEnv(
  secrets: readonly PrefixedSecret[],
  options: EnvMappingOptions = {},
): EnvVar[] {
  const map = options.map ?? new Map<string, string>();
  const used = new Set<string>();
  const out: EnvVar[] = [];
  const byName = new Map<string, string>();
  for (const secret of secrets) {
    const rel = relativePath(secret);
    if (!selected(rel, options)) continue;
    for (const candidate of candidatesOf(secret, rel, options.fields ?? 'expand')) {
      const mapped = map.get(candidate.key) ?? map.get(candidate.derived);
      if (mapped !== undefined) used.add(map.has(candidate.key) ? candidate.key : candidate.derived);
      const name = mapped ?? `${options.envPrefix ?? ''}${candidate.derived}`;
      if (!VALID_NAME.test(name)) {
        throw hushError('MAPS_WHICH_NOT_VALID_ENVIRONMENT', {
          source: candidate.source,
          name,
          derived: candidate.derived,
        });
      }
      if (mapped === undefined && isDangerousEnvName(name)) {
        throw hushError('MAPS_WHICH_MAKES_PROGRAMS_LOAD', {
          source: candidate.source,
          name,
          derived: candidate.derived,
        });
      }
      if (loneSurrogateAt(candidate.value) !== undefined) {
        throw loneSurrogateError(candidate.source, '', 'an environment variable');
      }
      if (candidate.value.includes('\0')) {
        throw hushError('ENV_VALUE_HOLDS_NUL', { source: candidate.source });
      }
      const earlier = byName.get(name);
      if (earlier !== undefined) {
        throw hushError('ENV_NAME_COLLISION', { earlier, source: candidate.source, name });
      }
      byName.set(name, candidate.source);
      out.push({ name, value: candidate.value, source: candidate.source });
    }
  }
  for (const src of map.keys()) {
    if (!used.has(src)) {
      throw hushError('MAP_MATCHED_NO_SECRET', { src });
    }
  }
  return out;
}

interface Candidate {
  /** The relative path (or `path#field`) a --map may name. */
  readonly key: string;
  readonly derived: string;
  readonly source: string;
  readonly value: string;
}

function candidatesOf(secret: PrefixedSecret, rel: string, fields: FieldsMode): Candidate[] {
  const base = envNameOf(rel);
  const value = secret.value;
  if (typeof value === 'string' || fields === 'json') {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return [{ key: rel, derived: base, source: secret.path, value: text }];
  }
  return Object.entries(value).map(([field, v]) => ({
    key: `${rel}#${field}`,
    derived: `${base}_${fieldSuffixOf(field)}`,
    source: `${secret.path}#${field}`,
    value: typeof v === 'string' ? v : JSON.stringify(v),
  }));
}

function selected(rel: string, options: EnvMappingOptions): boolean {
  const include = options.include ?? [];
  if (include.length > 0 && !include.some((g) => globMatches(g, rel))) return false;
  return !(options.exclude ?? []).some((g) => globMatches(g, rel));
}

/**
 * The child's environment: `base` plus the variables. Secrets win over existing variables unless `override` is
 * false, in which case an existing variable keeps its value. Either way `collision` is told about each variable
 * that was already set (by name and source, never a value), so a secret shadowing the environment is never silent.
 */
export function mergeEnv(
  base: Readonly<Record<string, string | undefined>>,
  vars: readonly EnvVar[],
  override = true,
  collision?: (v: Pick<EnvVar, 'name' | 'source'>, replaced: boolean) => void,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v;
  for (const v of vars) {
    const existed = Object.hasOwn(env, v.name);
    if (existed) collision?.({ name: v.name, source: v.source }, override);
    if (override || !existed) env[v.name] = v.value;
  }
  return env;
}

/** Parse `--map SRC=DST` flags into a map; a malformed or repeated SRC is a usage error. */
export function parseMapFlags(flags: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    if (eq <= 0 || eq === flag.length - 1) {
      throw hushError('MAP_EXPECTS_SRC_DST_E', { flag });
    }
    const src = flag.slice(0, eq);
    if (map.has(src)) throw hushError('MAP_GIVEN_TWICE', { src });
    map.set(src, flag.slice(eq + 1));
  }
  return map;
}
