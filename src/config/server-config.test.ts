import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { unprivilegedIds } from '../../test/support/child-process.js';
import { assertCompiledCli, oneLineError, runHush } from '../../test/support/run-hush.js';
import { isHushError } from '../core/errors/index.js';
import { isLoopbackHost, parseListenAddress } from './listen-address.js';
import { loadServerConfig } from './server-config.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function dir(): string {
  const d = mkdtempSync(join(tmpdir(), 'hush-config-'));
  dirs.push(d);
  return d;
}

function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (isHushError(err, 'HUSH_E_CONFIG')) return err.message;
    throw err;
  }
  throw new Error('expected HUSH_E_CONFIG');
}

describe('loadServerConfig', () => {
  it('has safe defaults, resolved paths, and is frozen', () => {
    const cwd = dir();
    const { config, warnings } = loadServerConfig({ cwd });
    expect(config.listen).toEqual({ host: '127.0.0.1', port: 8200 });
    expect(config.dataDir).toBe(join(cwd, 'data'));
    expect(config.storage).toEqual({ kind: 'sqlite', path: join(cwd, 'data', 'hush.db') });
    expect(config.seal).toEqual({ kind: 'key-file', path: join(cwd, 'data', 'root.key') });
    expect(config.limits).toEqual({ bodyBytes: 2 * 1024 * 1024, maxValueBytes: 1024 * 1024 });
    expect(config.audit.file?.path).toBe(join(cwd, 'data', 'audit.jsonl'));
    expect(config.tls).toBeUndefined();
    // The embedded default is a key file, so the one warning says where that key sits and what to use instead.
    expect(warnings).toEqual([
      expect.stringMatching(/key-file keeps the unseal key on disk.*use shamir or rsa/),
    ]);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.limits)).toBe(true);
    expect(() => {
      (config.limits as { bodyBytes: number }).bodyBytes = 1;
    }).toThrow(TypeError);
  });

  it('reads YAML and JSON files', () => {
    const cwd = dir();
    writeFileSync(
      join(cwd, 'hush.yaml'),
      'listen: 127.0.0.1:9000\nseal:\n  kind: key-file\nlimits:\n  bodyBytes: 4096\n  maxValueBytes: 1024\n',
    );
    const yaml = loadServerConfig({ cwd, configFile: 'hush.yaml' });
    expect(yaml.config.listen.port).toBe(9000);
    expect(yaml.config.seal).toEqual({ kind: 'key-file', path: join(cwd, 'data', 'root.key') });
    expect(yaml.warnings.join()).toMatch(/key-file/);
    writeFileSync(
      join(cwd, 'hush.json'),
      JSON.stringify({ dataDir: '/var/lib/hush', audit: { stdout: true } }),
    );
    const json = loadServerConfig({ cwd, configFile: 'hush.json' });
    expect(json.config.storage).toEqual({ kind: 'sqlite', path: '/var/lib/hush/hush.db' });
    expect(json.config.audit).toEqual({ stdout: true, headCheck: 'refuse' });
  });

  it('names an unknown key and the file it came from', () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'hush.yaml'), 'storage:\n  kind: sqlite\n  pth: /tmp/x.db\n');
    expect(configError(() => loadServerConfig({ cwd, configFile: 'hush.yaml' }))).toBe(
      'config file hush.yaml: unknown key "storage.pth"; remove it or fix its spelling (see docs/server.md)',
    );
    writeFileSync(join(cwd, 'top.json'), '{"listenn": "127.0.0.1:1"}');
    expect(configError(() => loadServerConfig({ cwd, configFile: 'top.json' }))).toContain('"listenn"');
  });

  it('reports unreadable files, bad syntax and bad values in one line', () => {
    const cwd = dir();
    expect(configError(() => loadServerConfig({ cwd, configFile: 'missing.yaml' }))).toContain('ENOENT');
    writeFileSync(join(cwd, 'bad.json'), '{"listen": ');
    expect(configError(() => loadServerConfig({ cwd, configFile: 'bad.json' }))).toMatch(
      /not valid YAML\/JSON/,
    );
    writeFileSync(join(cwd, 'list.yaml'), '- a\n- b\n');
    expect(configError(() => loadServerConfig({ cwd, configFile: 'list.yaml' }))).toMatch(
      /must hold a mapping/,
    );
    writeFileSync(join(cwd, 'shamir.yaml'), 'seal: {kind: shamir, shares: 2, threshold: 3}\n');
    expect(configError(() => loadServerConfig({ cwd, configFile: 'shamir.yaml' }))).toMatch(
      /seal.threshold: threshold must be <= shares/,
    );
    for (const msg of [
      configError(() => loadServerConfig({ cwd, flags: { listen: '8200' } })),
      configError(() => loadServerConfig({ cwd, flags: { listen: '127.0.0.1:99999' } })),
    ]) {
      expect(msg).not.toContain('\n');
      expect(msg).toMatch(/not host:port/);
    }
  });

  it('applies HUSH_* env over the file and flags over env; warns on unknown HUSH_ variables', () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'hush.yaml'), 'listen: 127.0.0.1:9000\nlogLevel: warn\n');
    const { config, warnings } = loadServerConfig({
      cwd,
      configFile: 'hush.yaml',
      env: {
        HUSH_LISTEN: '127.0.0.1:9100',
        HUSH_LOG_LEVEL: 'debug',
        HUSH_DATA_DIR: 'd2',
        HUSH_BODY_LIMIT_BYTES: '4096',
        HUSH_MAX_VALUE_BYTES: '2048',
        HUSH_LISTN: 'oops',
        HUSH_TOKEN: 'client-side, not server config',
        PATH: '/usr/bin',
      },
      flags: { logLevel: 'error' },
    });
    expect(config.listen.port).toBe(9100);
    expect(config.logLevel).toBe('error');
    expect(config.dataDir).toBe(join(cwd, 'd2'));
    expect(config.limits).toEqual({ bodyBytes: 4096, maxValueBytes: 2048 });
    expect(warnings).toEqual([
      'environment variable HUSH_LISTN is not a Hush server setting and is ignored; did you mean HUSH_LISTEN?',
      expect.stringMatching(/^seal kind key-file keeps the unseal key on disk next to the data/),
    ]);
    expect(configError(() => loadServerConfig({ cwd, env: { HUSH_BODY_LIMIT_BYTES: '2MB' } }))).toBe(
      'HUSH_BODY_LIMIT_BYTES="2MB" is not a whole number; set it to e.g. HUSH_BODY_LIMIT_BYTES=1048576',
    );
    expect(configError(() => loadServerConfig({ cwd, env: { HUSH_INSECURE_LISTEN: 'maybe' } }))).toMatch(
      /boolean/,
    );
    // An empty host list would refuse every request with 421: refused at start instead.
    expect(configError(() => loadServerConfig({ cwd, env: { HUSH_ALLOWED_HOSTS: '' } }))).toMatch(
      /allowedHosts.*at least one host/,
    );
    expect(configError(() => loadServerConfig({ cwd, env: { HUSH_ALLOWED_HOSTS: ' , ' } }))).toMatch(
      /at least one host/,
    );
  });

  it('trustedProxies: addresses or CIDRs, from the file or HUSH_TRUSTED_PROXIES (comma-separated); nothing else', () => {
    const cwd = dir();
    expect(loadServerConfig({ cwd }).config.trustedProxies).toEqual([]);
    const viaEnv = loadServerConfig({
      cwd,
      env: { HUSH_TRUSTED_PROXIES: '10.0.0.0/24, 192.0.2.7,fd00::/8' },
    });
    expect(viaEnv.config.trustedProxies).toEqual(['10.0.0.0/24', '192.0.2.7', 'fd00::/8']);
    expect(configError(() => loadServerConfig({ cwd, env: { HUSH_TRUSTED_PROXIES: 'lb.example' } }))).toMatch(
      /IP address or CIDR/,
    );
    expect(
      configError(() => loadServerConfig({ cwd, env: { HUSH_TRUSTED_PROXIES: '10.0.0.0/33' } })),
    ).toMatch(/IP address or CIDR/);
  });

  it('loginLimits: 5 per (role, address) and 20 per address by default; set from the file or HUSH_LOGIN_*', () => {
    const cwd = dir();
    expect(loadServerConfig({ cwd }).config.loginLimits).toEqual({ maxFailures: 5, addressMaxFailures: 20 });
    const viaEnv = loadServerConfig({
      cwd,
      env: { HUSH_LOGIN_MAX_FAILURES: '3', HUSH_LOGIN_ADDRESS_MAX_FAILURES: '200' },
    });
    expect(viaEnv.config.loginLimits).toEqual({ maxFailures: 3, addressMaxFailures: 200 });
  });

  it('refuses plain HTTP off loopback unless TLS or --insecure-listen', () => {
    const cwd = dir();
    const msg = configError(() => loadServerConfig({ cwd, flags: { listen: '0.0.0.0:8200' } }));
    expect(msg).toMatch(/refusing plain HTTP on non-loopback address 0\.0\.0\.0/);
    expect(msg).toMatch(/--tls-cert\/--tls-key/);
    expect(msg).toMatch(/--insecure-listen/);
    const insecure = loadServerConfig({ cwd, flags: { listen: '0.0.0.0:8200', insecureListen: true } });
    expect(insecure.config.listen.host).toBe('0.0.0.0');
    const viaEnv = loadServerConfig({
      cwd,
      env: { HUSH_LISTEN: '10.1.2.3:8200', HUSH_INSECURE_LISTEN: 'true' },
    });
    expect(viaEnv.config.insecureListen).toBe(true);
    // Off loopback with no host list, every Host is answered: warned about, and not once the list is set.
    expect(viaEnv.warnings.join('\n')).toMatch(/allowedHosts is not set.*DNS rebinding/);
    const listed = loadServerConfig({
      cwd,
      env: {
        HUSH_LISTEN: '10.1.2.3:8200',
        HUSH_INSECURE_LISTEN: 'true',
        HUSH_ALLOWED_HOSTS: 'hush.internal',
      },
    });
    expect(listed.warnings.join('\n')).not.toMatch(/allowedHosts/);
    expect(loadServerConfig({ cwd, flags: { listen: '[::1]:8200' } }).config.listen).toEqual({
      host: '::1',
      port: 8200,
    });
  });

  it('checks TLS files: missing, unreadable, not PEM, or only one of the pair', () => {
    const cwd = dir();
    const cert = join(cwd, 'cert.pem');
    const key = join(cwd, 'key.pem');
    writeFileSync(cert, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    writeFileSync(key, 'not a pem', { mode: 0o600 });
    const flags = { listen: '0.0.0.0:8443', tlsCert: cert, tlsKey: key };
    expect(configError(() => loadServerConfig({ cwd, flags }))).toBe(
      `TLS private key ${key} cannot be used (not PEM); give a readable PEM file`,
    );
    expect(
      configError(() => loadServerConfig({ cwd, flags: { ...flags, tlsKey: join(cwd, 'nope.pem') } })),
    ).toMatch(/ENOENT/);
    expect(configError(() => loadServerConfig({ cwd, flags: { tlsCert: cert } }))).toBe(
      'config: tls.key is required; give both tls.cert and tls.key, or neither',
    );
    writeFileSync(key, '-----BEGIN PRIVATE KEY-----\nMII\n-----END PRIVATE KEY-----\n');
    const ok = loadServerConfig({ cwd, flags });
    expect(ok.config.tls).toEqual({ cert, key });
  });

  it('refuses an unreadable TLS key in one coded line (EACCES), also when the tests run as root', async () => {
    // Root reads any file whatever its mode, so the server runs as `nobody` then (as `hush server` would run).
    assertCompiledCli();
    const cwd = dir();
    chmodSync(cwd, 0o755);
    const cert = join(cwd, 'cert.pem');
    const key = join(cwd, 'key.pem');
    writeFileSync(cert, '-----BEGIN CERTIFICATE-----\nMII\n-----END CERTIFICATE-----\n', { mode: 0o644 });
    writeFileSync(key, '-----BEGIN PRIVATE KEY-----\nMII\n-----END PRIVATE KEY-----\n', { mode: 0o000 });
    const run = await runHush(
      [
        'server',
        '--listen',
        '0.0.0.0:8443',
        '--tls-cert',
        cert,
        '--tls-key',
        key,
        '--data-dir',
        join(cwd, 'data'),
      ],
      { ...unprivilegedIds(), cwd },
    );
    expect(run.code).not.toBe(0);
    expect(oneLineError(run)).toContain(
      `TLS private key ${key} cannot be used (EACCES); give a readable PEM file`,
    );
  });
});

describe('listen address', () => {
  it('parses host:port and knows loopback', () => {
    expect(parseListenAddress('localhost:0', 'x')).toEqual({ host: 'localhost', port: 0 });
    expect(isLoopbackHost('127.8.9.10')).toBe(true);
    expect(isLoopbackHost('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopbackHost('::')).toBe(false);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
    expect(isLoopbackHost('127.evil.example')).toBe(false);
    // URL.hostname brackets IPv6
    expect(isLoopbackHost(new URL('http://[::1]:8200/').hostname)).toBe(true);
    expect(isLoopbackHost(new URL('http://[::2]:8200/').hostname)).toBe(false);
  });
});
