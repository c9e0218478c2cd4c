import { describe, expect, it } from 'vitest';
import { HushError } from '../../core/errors/hush-error.js';
import { describeTarget, parsePostgresConfig } from './postgres-config.js';

const url = 'postgres://hush:s3cr3t-pw@db.internal:6543/hushdb'; // hush:allow postgres-connection-string

function configError(input: unknown): HushError {
  try {
    parsePostgresConfig(input);
  } catch (err) {
    if (err instanceof HushError) return err;
    throw err;
  }
  throw new Error('expected HUSH_E_CONFIG');
}

describe('parsePostgresConfig', () => {
  it('applies defaults and names the target without the password', () => {
    const config = parsePostgresConfig({ url });
    expect(config).toMatchObject({
      target: 'db.internal:6543/hushdb',
      poolSize: 10,
      statementTimeoutMs: 30_000,
    });
    expect(parsePostgresConfig({ url, poolSize: 3, statementTimeoutMs: 50 })).toMatchObject({
      poolSize: 3,
      statementTimeoutMs: 50,
    });
  });

  it('rejects unknown keys, bad URLs and out-of-range numbers with HUSH_E_CONFIG, never echoing the URL', () => {
    const typo = configError({ url, poolsize: 3 });
    expect(typo.code).toBe('HUSH_E_CONFIG');
    expect(typo.message).toContain('poolsize');
    for (const bad of [
      { url: 'mysql://u:s3cr3t-pw@h/db' }, // hush:allow mysql-connection-string
      { url: '' },
      { url, poolSize: 0 },
      { url, statementTimeoutMs: 1.5 },
      {},
    ]) {
      const err = configError(bad);
      expect(err.code).toBe('HUSH_E_CONFIG');
      expect(err.message).not.toContain('s3cr3t-pw');
      expect(err.message).not.toContain('\n');
    }
  });

  it('describes targets with default port and database', () => {
    expect(describeTarget('postgresql://u:p@localhost')).toBe('localhost:5432/(default database)');
    expect(describeTarget('postgres://u:p@[::1]:5433/a%20b?sslmode=require')).toBe('[::1]:5433/a b');
  });
});
