import { accessSync, constants, readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { hushError } from '../core/errors/index.js';
import { DEFAULT_PKCS11_LIBRARY } from '../hsm/pkcs11-key-wrapper.js';
import { parseOutboundAllowList } from '../net/outbound-allow-list.js';
import { applyEnvOverrides, setPath } from './env-overrides.js';
import { isLoopbackHost, parseListenAddress } from './listen-address.js';
import type { ServerConfig, ServerConfigInput } from './server-config-schema.js';
import { serverConfigSchema } from './server-config-schema.js';
import { FLAG_PATHS, type ServerFlags } from './server-flags.js';
import { resolveStorageConfig } from './server-storage-config.js';

/** Where the config comes from; every part is optional and injectable for tests. */
export interface LoadServerConfigOptions {
  /** Path of a YAML (.yaml/.yml) or JSON (.json) config file (`--config`). */
  readonly configFile?: string;
  /** Environment to read HUSH_* overrides from (default: none, so callers pass process.env explicitly). */
  readonly env?: NodeJS.ProcessEnv;
  readonly flags?: ServerFlags;
  /** Base for relative paths (default process.cwd()). */
  readonly cwd?: string;
}

/** The loaded config plus warnings the caller should print (unknown HUSH_* variables, key-file seal, ...). */
export interface LoadedServerConfig {
  readonly config: ServerConfig;
  readonly warnings: readonly string[];
}

/**
 * Load the server config: file, then HUSH_* environment, then CLI flags; validate strictly; apply the loopback
 * rule; check TLS files are readable; resolve paths; freeze. Every failure is one HUSH_E_CONFIG line.
 *
 * @example
 * const { config, warnings } = loadServerConfig({ configFile: 'hush.yaml', env: process.env, flags });
 */
export function loadServerConfig(options: LoadServerConfigOptions = {}): LoadedServerConfig {
  const cwd = options.cwd ?? process.cwd();
  const raw: Record<string, unknown> = {};
  if (options.configFile !== undefined) {
    const fromFile = readConfigFile(resolve(cwd, options.configFile));
    validate(fromFile, `config file ${options.configFile}`); // attribute file mistakes to the file
    Object.assign(raw, fromFile);
  }
  const warnings = applyEnvOverrides(raw, options.env ?? {});
  for (const [flag, path] of Object.entries(FLAG_PATHS)) {
    const value = options.flags?.[flag as keyof typeof FLAG_PATHS];
    if (value !== undefined) setPath(raw, path, value);
  }
  const source = options.configFile ? `config (${options.configFile} + environment + flags)` : 'config';
  const input = validate(raw, source);
  const config = finish(input, cwd);
  checkListenRule(config);
  if (config.tls) checkTlsFiles(config.tls);
  if (config.allowedHosts === undefined && !isLoopbackHost(config.listen.host)) {
    warnings.push(
      `allowedHosts is not set, so the server on ${config.listen.host} answers for any Host name (a web page can ` +
        'reach it by DNS rebinding); set allowedHosts or HUSH_ALLOWED_HOSTS to the names clients use',
    );
  }
  if (config.seal.kind === 'key-file') {
    warnings.push(
      `seal kind key-file keeps the unseal key on disk next to the data (${config.seal.path}); ` +
        'use shamir or rsa in production',
    );
  }
  return { config: deepFreeze(config), warnings };
}

/** Read and parse a YAML or JSON file into a plain object. */
function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw hushError('CANNOT_READ_CONFIG_FILE', { file, code });
  }
  let parsed: unknown;
  try {
    parsed = extname(file) === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    const first = String((err as Error).message).split('\n')[0];
    throw hushError('CONFIG_FILE_NOT_VALID_YAML', { file, first });
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw hushError('CONFIG_FILE_MUST_HOLD_MAPPING', { file, value: typeof parsed });
  }
  return parsed as Record<string, unknown>;
}

/** Validate with the strict schema; the first issue becomes a one-line error naming the key and the source. */
function validate(raw: unknown, source: string): ServerConfigInput {
  const result = serverConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  throw hushError('CONFIG_INVALID', { source, issues: describeIssue(result.error.issues[0]) });
}

/** One readable sentence for a zod issue. */
function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'invalid configuration';
  const at = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => (at ? `${at}.${k}` : k));
    return `unknown key ${keys.map((k) => `"${k}"`).join(', ')}; remove it or fix its spelling (see docs/server.md)`;
  }
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) {
    const hint = at.startsWith('tls.') ? '; give both tls.cert and tls.key, or neither' : '';
    return `${at} is required${hint}`;
  }
  return `${at || '(root)'}: ${issue.message}`;
}

/** The seal section with its paths absolute and defaults filled in. */
function resolveSeal(
  seal: ServerConfigInput['seal'],
  cwd: string,
  abs: (p: string | undefined, fallback: string) => string,
): ServerConfig['seal'] {
  switch (seal.kind) {
    case 'key-file':
      return {
        kind: 'key-file',
        path: abs(seal.path, 'root.key'),
        ...(seal.allowLooseMode ? { allowLooseMode: true } : {}),
      };
    case 'rsa':
      return { kind: 'rsa', publicKeyPath: resolve(cwd, seal.publicKeyPath) };
    case 'pkcs11':
      return {
        kind: 'pkcs11',
        library: seal.library ? resolve(cwd, seal.library) : DEFAULT_PKCS11_LIBRARY,
        tokenLabel: seal.tokenLabel,
        keyLabel: seal.keyLabel,
        ...(seal.pinFile ? { pinFile: resolve(cwd, seal.pinFile) } : {}),
      };
    default:
      return seal;
  }
}

/** Resolve paths against `cwd`, fill path defaults under dataDir, and parse the listen address. */
function finish(input: ServerConfigInput, cwd: string): ServerConfig {
  const dataDir = resolve(cwd, input.dataDir);
  const abs = (p: string | undefined, fallback: string): string =>
    p ? resolve(cwd, p) : join(dataDir, fallback);
  const seal = resolveSeal(input.seal, cwd, abs);
  // With no audit sink configured, default to a file in the data dir: an unaudited secrets server is not a default.
  const auditFile =
    input.audit.file || !input.audit.stdout
      ? {
          path: abs(input.audit.file?.path, 'audit.jsonl'),
          maxBytes: input.audit.file?.maxBytes ?? 100 * 1024 * 1024,
          sync: input.audit.file?.sync ?? 'fsync',
        }
      : undefined;
  return {
    listen: parseListenAddress(input.listen, 'listen'),
    dataDir,
    insecureListen: input.insecureListen,
    ...(input.allowedHosts ? { allowedHosts: [...input.allowedHosts] } : {}),
    trustedProxies: [...input.trustedProxies],
    logLevel: input.logLevel,
    storage: resolveStorageConfig(input.storage, cwd, join(dataDir, 'hush.db')),
    seal,
    ...(input.tls ? { tls: { cert: resolve(cwd, input.tls.cert), key: resolve(cwd, input.tls.key) } } : {}),
    limits: { ...input.limits },
    audit: {
      ...(auditFile ? { file: auditFile } : {}),
      stdout: input.audit.stdout,
      headCheck: input.audit.headCheck,
    },
    shutdownTimeoutMs: input.shutdownTimeoutMs,
    loginLimits: { ...input.loginLimits },
    keys: {
      hsm: input.keys.hsm.map((k) => ({
        id: k.id,
        library: k.library ? resolve(cwd, k.library) : DEFAULT_PKCS11_LIBRARY,
        tokenLabel: k.tokenLabel,
        keyLabel: k.keyLabel,
        ...(k.pinFile ? { pinFile: resolve(cwd, k.pinFile) } : {}),
      })),
      hsmTokens: input.keys.hsmTokens.map((k) => ({
        id: k.id,
        library: k.library ? resolve(cwd, k.library) : DEFAULT_PKCS11_LIBRARY,
        tokenLabel: k.tokenLabel,
        ...(k.pinFile ? { pinFile: resolve(cwd, k.pinFile) } : {}),
      })),
    },
    alerts: resolveAlertPaths(input.alerts, cwd),
    outbound: { allow: [...parseOutboundAllowList(input.outbound.allow).entries] },
    certs: input.certs,
    pki: input.pki,
  };
}

/** The alerts section with its files (webhook secrets, first-access state) resolved against `cwd`. */
function resolveAlertPaths(alerts: ServerConfigInput['alerts'], cwd: string): ServerConfig['alerts'] {
  const state = alerts.rules.productionAccess.stateFile;
  return {
    ...alerts,
    rules: {
      ...alerts.rules,
      productionAccess: {
        ...alerts.rules.productionAccess,
        ...(state ? { stateFile: resolve(cwd, state) } : {}),
      },
    },
    webhooks: alerts.webhooks.map((w) => ({ ...w, secretFile: resolve(cwd, w.secretFile) })),
  };
}

/** Plain HTTP is only allowed on loopback, unless the operator explicitly opts out. */
function checkListenRule(config: ServerConfig): void {
  if (config.tls || config.insecureListen || isLoopbackHost(config.listen.host)) return;
  throw hushError('REFUSING_PLAIN_HTTP_NON_LOOPBACK', { host: config.listen.host });
}

/** Fail at startup, in one line, when a TLS file is missing, unreadable or not PEM. */
function checkTlsFiles(tls: { readonly cert: string; readonly key: string }): void {
  for (const [what, file] of [
    ['certificate', tls.cert],
    ['private key', tls.key],
  ] as const) {
    try {
      accessSync(file, constants.R_OK);
      if (!readFileSync(file, 'utf8').includes('-----BEGIN '))
        throw Object.assign(new Error(), { code: 'not PEM' });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
      throw hushError('TLS_CANNOT_USED', { what, file, code });
    }
  }
}

/** Recursively freeze so no part of the server can change the config after validation. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
