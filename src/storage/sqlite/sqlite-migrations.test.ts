import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isHushError } from '../../core/errors/hush-error.js';
import { migrateSqlite, SQLITE_MIGRATIONS, type SqliteMigration } from './sqlite-migrations.js';

const v2: SqliteMigration = {
  version: 2,
  name: 'add notes',
  sql: 'CREATE TABLE notes (id INTEGER PRIMARY KEY)',
};

describe('migrateSqlite', async () => {
  let db: Database.Database;
  beforeEach(() => {
    db = new Database(':memory:');
  });
  afterEach(() => db.close());

  const applied = () => db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();

  it('creates the schema on an empty database and records each version', async () => {
    expect(await migrateSqlite(db, 'mem')).toBe(SQLITE_MIGRATIONS.length);
    expect(applied()).toEqual([{ version: 1, name: 'create kv' }]);
    expect(await migrateSqlite(db, 'mem')).toBe(1);
    expect(applied()).toHaveLength(1);
  });

  it('applies only the missing steps to an older database', async () => {
    await migrateSqlite(db, 'mem');
    db.prepare("INSERT INTO kv VALUES ('k', x'00', 1)").run();
    expect(await migrateSqlite(db, 'mem', [...SQLITE_MIGRATIONS, v2])).toBe(2);
    expect(applied()).toEqual([
      { version: 1, name: 'create kv' },
      { version: 2, name: 'add notes' },
    ]);
    expect(db.prepare('SELECT count(*) FROM kv').pluck().get()).toBe(1);
  });

  it('rolls a failing step back whole, keeping the earlier version', async () => {
    await migrateSqlite(db, 'mem');
    const broken: SqliteMigration = {
      version: 2,
      name: 'broken',
      sql: 'CREATE TABLE half (x); SELECT nope FROM nowhere',
    };
    await expect(migrateSqlite(db, 'mem', [...SQLITE_MIGRATIONS, broken])).rejects.toThrow();
    expect(applied()).toHaveLength(1);
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'half'").pluck().get()).toBe(0);
  });

  it('refuses a database from a newer build', async () => {
    await migrateSqlite(db, 'mem', [...SQLITE_MIGRATIONS, v2]);
    let caught: unknown;
    try {
      await migrateSqlite(db, 'mem');
    } catch (err) {
      caught = err;
    }
    expect(isHushError(caught, 'HUSH_E_STORAGE')).toBe(true);
    expect((caught as Error).message).toContain('schema version 2, this build knows up to 1');
  });

  it('rejects a migration list with a gap (a programming mistake)', async () => {
    await expect(migrateSqlite(db, 'mem', [{ ...v2, version: 3 }])).rejects.toThrow(RangeError);
  });
});
