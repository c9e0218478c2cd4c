import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isHushError } from '../core/errors/index.js';
import { loadServerConfig } from './server-config.js';

const PASSWORD = 'pw-Zq81xVr'; // hush:allow generic-password-assignment (a test value)
const URL_TEXT = `postgres://hush:${PASSWORD}@db.internal:6543/hushdb`; // hush:allow postgres-connection-string

function dir(): string {
  return mkdtempSync(join(tmpdir(), 'hush-storage-config-'));
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

describe('server storage config', () => {
  it('switches to PostgreSQL from HUSH_STORAGE_URL alone, with fast-failing defaults', () => {
    const { config } = loadServerConfig({ cwd: dir(), env: { HUSH_STORAGE_URL: URL_TEXT } });
    expect(config.storage).toEqual({
      kind: 'postgres',
      url: URL_TEXT,
      target: 'db.internal:6543/hushdb',
      poolSize: 10,
      connectTimeoutMs: 2000,
      statementTimeoutMs: 5000,
    });
    expect(Object.isFrozen(config.storage)).toBe(true);
  });

  it('reads the URL from urlFile (relative to the working directory) and the tuning from the file', () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'pg-url'), `\n${URL_TEXT}\n`, { mode: 0o600 });
    writeFileSync(
      join(cwd, 'hush.yaml'),
      'storage:\n  kind: postgres\n  urlFile: pg-url\n  poolSize: 3\n  connectTimeoutMs: 700\n  statementTimeoutMs: 900\n',
    );
    const { config } = loadServerConfig({ cwd, configFile: 'hush.yaml' });
    expect(config.storage).toMatchObject({
      kind: 'postgres',
      url: URL_TEXT,
      poolSize: 3,
      connectTimeoutMs: 700,
    });
    const viaEnv = loadServerConfig({ cwd, env: { HUSH_STORAGE_URL_FILE: join(cwd, 'pg-url') } });
    expect(viaEnv.config.storage).toMatchObject({
      statementTimeoutMs: 5000,
      target: 'db.internal:6543/hushdb',
    });
  });

  it('refuses a missing, doubled, unreadable or malformed URL in one line without the password', () => {
    const cwd = dir();
    expect(configError(() => loadServerConfig({ cwd, env: { HUSH_STORAGE_KIND: 'postgres' } }))).toMatch(
      /exactly one of storage.url and storage.urlFile \(found neither\); set HUSH_STORAGE_URL/,
    );
    writeFileSync(join(cwd, 'f'), URL_TEXT);
    const both = configError(() =>
      loadServerConfig({ cwd, env: { HUSH_STORAGE_URL: URL_TEXT, HUSH_STORAGE_URL_FILE: 'f' } }),
    );
    expect(both).toContain('found both');
    expect(both).not.toContain(PASSWORD);
    expect(configError(() => loadServerConfig({ cwd, env: { HUSH_STORAGE_URL_FILE: 'nope' } }))).toMatch(
      /cannot read storage.urlFile .*nope \(ENOENT\)/,
    );
    writeFileSync(join(cwd, 'empty'), '\n\n');
    expect(configError(() => loadServerConfig({ cwd, env: { HUSH_STORAGE_URL_FILE: 'empty' } }))).toMatch(
      /is empty/,
    );
    const bad = configError(() =>
      loadServerConfig({ cwd, env: { HUSH_STORAGE_URL: `mysql://hush:${PASSWORD}@db/x` } }),
    );
    expect(bad).toMatch(/postgres:\/\/user:password@host:port\/database/);
    expect(bad).not.toContain(PASSWORD);
    const unknown = configError(() =>
      loadServerConfig({ cwd, env: { HUSH_STORAGE_URL: URL_TEXT, HUSH_STORAGE_PATH: '/x.db' } }),
    );
    expect(unknown).toContain('unknown key "storage.path"');
    expect(unknown).not.toContain(PASSWORD);
  });

  it('keeps SQLite the default, and an explicit kind wins over the url shorthand', () => {
    const cwd = dir();
    expect(loadServerConfig({ cwd }).config.storage.kind).toBe('sqlite');
    const msg = configError(() =>
      loadServerConfig({ cwd, env: { HUSH_STORAGE_KIND: 'sqlite', HUSH_STORAGE_URL: URL_TEXT } }),
    );
    expect(msg).toContain('unknown key "storage.url"');
    expect(msg).not.toContain(PASSWORD);
  });
});
