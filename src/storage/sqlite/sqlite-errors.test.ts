import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { HushError } from '../../core/errors/hush-error.js';
import { toStorageError } from './sqlite-errors.js';

const ctx = { path: '/var/lib/hush/hush.db', busyTimeoutMs: 5000 };

/** Run `fn` and return what it threw. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('toStorageError', () => {
  it('maps a real SQLITE_FULL (disk full) to a one-line HUSH_E_STORAGE', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (v BLOB)');
    db.pragma('max_page_count = 2');
    const raw = thrown(() => db.prepare('INSERT INTO t VALUES (?)').run(Buffer.alloc(100_000)));
    db.close();
    expect((raw as { code: string }).code).toBe('SQLITE_FULL');
    const err = toStorageError(raw, ctx, 'writing');
    expect(err).toBeInstanceOf(HushError);
    expect(err).toMatchObject({ code: 'HUSH_E_STORAGE' });
    expect(err.message).toBe(
      'disk full while writing /var/lib/hush/hush.db; free space on that filesystem and retry (nothing was written)',
    );
  });

  it('passes HushErrors and programmer mistakes through unchanged', () => {
    const hush = new HushError('HUSH_E_CAS_CONFLICT', 'x');
    expect(toStorageError(hush, ctx, 'writing')).toBe(hush);
    const bug = new TypeError('bad binding');
    expect(toStorageError(bug, ctx, 'writing')).toBe(bug);
  });
});
