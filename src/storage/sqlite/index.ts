/** The SQLite adapter's face (the same names in every adapter folder: open, config schema, parse, types). */
export { openSqliteBackend, SqliteBackend } from './sqlite-backend.js';
export {
  parseSqliteConfig,
  type SqliteConfig,
  type SqliteConfigInput,
  sqliteConfigSchema,
} from './sqlite-config.js';
export { SQLITE_MIGRATIONS } from './sqlite-migrations.js';
