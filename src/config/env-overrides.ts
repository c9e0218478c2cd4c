import { hushError } from '../core/errors/index.js';

type Kind = 'string' | 'int' | 'bool' | 'list';

/** One HUSH_* variable: where it lands in the config object and how its text is parsed. */
interface EnvSpec {
  readonly path: readonly string[];
  readonly kind: Kind;
}

/** Every environment variable the server config reads. docs/server.md lists the same table. */
export const SERVER_ENV: Readonly<Record<string, EnvSpec>> = {
  HUSH_LISTEN: { path: ['listen'], kind: 'string' },
  HUSH_DATA_DIR: { path: ['dataDir'], kind: 'string' },
  HUSH_INSECURE_LISTEN: { path: ['insecureListen'], kind: 'bool' },
  HUSH_ALLOWED_HOSTS: { path: ['allowedHosts'], kind: 'list' },
  HUSH_TRUSTED_PROXIES: { path: ['trustedProxies'], kind: 'list' },
  HUSH_OUTBOUND_ALLOW: { path: ['outbound', 'allow'], kind: 'list' },
  HUSH_LOG_LEVEL: { path: ['logLevel'], kind: 'string' },
  HUSH_STORAGE_PATH: { path: ['storage', 'path'], kind: 'string' },
  HUSH_STORAGE_KIND: { path: ['storage', 'kind'], kind: 'string' },
  // The PostgreSQL URL holds a password, so it comes from the environment or a file, never from a flag.
  HUSH_STORAGE_URL: { path: ['storage', 'url'], kind: 'string' },
  HUSH_STORAGE_URL_FILE: { path: ['storage', 'urlFile'], kind: 'string' },
  HUSH_STORAGE_POOL_SIZE: { path: ['storage', 'poolSize'], kind: 'int' },
  HUSH_SEAL_KIND: { path: ['seal', 'kind'], kind: 'string' },
  HUSH_SEAL_KEY_FILE: { path: ['seal', 'path'], kind: 'string' },
  HUSH_TLS_CERT: { path: ['tls', 'cert'], kind: 'string' },
  HUSH_TLS_KEY: { path: ['tls', 'key'], kind: 'string' },
  HUSH_BODY_LIMIT_BYTES: { path: ['limits', 'bodyBytes'], kind: 'int' },
  HUSH_MAX_VALUE_BYTES: { path: ['limits', 'maxValueBytes'], kind: 'int' },
  HUSH_AUDIT_FILE: { path: ['audit', 'file', 'path'], kind: 'string' },
  HUSH_AUDIT_STDOUT: { path: ['audit', 'stdout'], kind: 'bool' },
  HUSH_AUDIT_SYNC: { path: ['audit', 'file', 'sync'], kind: 'string' },
  HUSH_AUDIT_HEAD_CHECK: { path: ['audit', 'headCheck'], kind: 'string' },
  HUSH_SHUTDOWN_TIMEOUT_MS: { path: ['shutdownTimeoutMs'], kind: 'int' },
  HUSH_LOGIN_MAX_FAILURES: { path: ['loginLimits', 'maxFailures'], kind: 'int' },
  HUSH_LOGIN_ADDRESS_MAX_FAILURES: { path: ['loginLimits', 'addressMaxFailures'], kind: 'int' },
};

/** HUSH_* variables that belong to other parts of Hush (CLI, client), so the server does not warn about them. */
const NOT_SERVER_CONFIG = new Set([
  'HUSH_DEBUG',
  'HUSH_TOKEN',
  'HUSH_ADDR',
  'HUSH_CACERT',
  'HUSH_CONFIG',
  'HUSH_NO_COLOR',
  // Read by the pkcs11 seal itself (never config: a PIN does not belong in a config file or a dump of it).
  'HUSH_PKCS11_PIN',
  'HUSH_PKCS11_PIN_FILE',
  'HUSH_PKCS11_LIBRARY',
  // Read by the key-file seal wherever it opens (server and local CLI alike); the config key is seal.allowLooseMode.
  'HUSH_ALLOW_LOOSE_KEY_FILE',
]);

/** Parse one variable's text, or throw a one-line HUSH_E_CONFIG naming the variable. */
function parseValue(name: string, kind: Kind, text: string): string | number | boolean | string[] {
  if (kind === 'string') return text;
  // A comma-separated list: `localhost,hush.internal`.
  if (kind === 'list')
    return text
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== '');
  if (kind === 'int') {
    if (!/^\d+$/.test(text.trim())) {
      throw hushError('ENV_NOT_WHOLE_NUMBER', { name, text });
    }
    return Number(text.trim());
  }
  const lower = text.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(lower)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(lower)) return false;
  throw hushError('ENV_NOT_BOOLEAN', { name, text });
}

/** Set `value` at `path` inside `target`, creating plain objects on the way. */
export function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

/** The nearest known variable name, to suggest a fix for a typo (edit distance <= 3). */
function nearest(name: string): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const known of Object.keys(SERVER_ENV)) {
    const d = editDistance(name, known);
    if (d <= 3 && (!best || d < best.d)) best = { name: known, d };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * Apply HUSH_* overrides onto `raw` (mutated) and return warnings for HUSH_* variables that look like server config
 * but are not known, so a typo such as HUSH_LISTN is reported instead of silently ignored.
 */
export function applyEnvOverrides(raw: Record<string, unknown>, env: NodeJS.ProcessEnv): string[] {
  const warnings: string[] = [];
  for (const [name, text] of Object.entries(env)) {
    if (!name.startsWith('HUSH_') || text === undefined) continue;
    const spec = SERVER_ENV[name];
    if (spec) {
      setPath(raw, spec.path, parseValue(name, spec.kind, text));
    } else if (!NOT_SERVER_CONFIG.has(name)) {
      const hint = nearest(name);
      warnings.push(
        `environment variable ${name} is not a Hush server setting and is ignored` +
          (hint ? `; did you mean ${hint}?` : '; see docs/server.md for the list'),
      );
    }
  }
  return warnings;
}
