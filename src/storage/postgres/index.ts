/** The PostgreSQL adapter's face (the same names in every adapter folder: open, config schema, parse, types). */
export { openPostgresBackend, PostgresBackend } from './postgres-backend.js';
export {
  type PostgresConfig,
  type PostgresConfigInput,
  parsePostgresConfig,
  postgresConfigSchema,
} from './postgres-config.js';
export { POSTGRES_MIGRATIONS } from './postgres-migrations.js';
