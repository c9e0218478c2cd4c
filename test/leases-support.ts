import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createAuditLog, createJsonlFileSink } from '../src/audit/index.js';
import { createIdentity } from '../src/identity/index.js';
import { createDynamicCredentials, tokenRevocations } from '../src/leases/index.js';
import type { BackoffOptions } from '../src/leases/revoke-lease.js';
import { KeyFileSeal } from '../src/seal/key-file/key-file-seal.js';
import { buildApp } from '../src/server/app.js';
import { auditPlugin } from '../src/server/plugins/audit.js';
import type { SealControl } from '../src/server/server-deps.js';
import { openSqliteBackend } from '../src/storage/sqlite/sqlite-backend.js';
import { Barrier } from '../src/store/barrier.js';
import { createInitStore } from '../src/store/seal/init-store.js';
import { createUnsealStore } from '../src/store/seal/unseal-store.js';
import { captureLogs } from './support/capture-logs.js';
import { startTestPostgres, type TestPostgres } from './support/postgres.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

/** A settable clock that starts at the real time (the real database judges VALID UNTIL by its own clock). */
export function liveClock() {
  const state = { now: Date.now() };
  return {
    clock: () => new Date(state.now),
    advance: (ms: number) => {
      state.now += ms;
    },
    state,
  };
}

/** A role template that can read one table (created by the test in `public`). */
export const READER_SQL = [
  'CREATE ROLE {{name}} LOGIN PASSWORD {{password}} VALID UNTIL {{expiration}};',
  'GRANT SELECT ON lease_probe TO {{name}};',
].join('\n');

/** Log in as an issued user and read the probe table; resolves to the row count or rejects with the pg error. */
export async function loginAndQuery(db: TestPostgres, username: string, password: string): Promise<number> {
  const u = new URL(db.url);
  const client = new pg.Client({
    host: u.hostname,
    port: Number(u.port),
    database: 'postgres',
    user: username,
    password,
    connectionTimeoutMillis: 5_000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const res = await client.query('SELECT n FROM lease_probe');
    return res.rowCount ?? 0;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Whether a role exists on the server. */
export async function roleExists(db: TestPostgres, username: string): Promise<boolean> {
  const res = await db.admin('SELECT 1 FROM pg_roles WHERE rolname = $1', [username]);
  return (res.rowCount ?? 0) > 0;
}

/** The role's VALID UNTIL as epoch ms (null when unset). */
export async function validUntil(db: TestPostgres, username: string): Promise<number | null> {
  const res = await db.admin('SELECT rolvaliduntil FROM pg_roles WHERE rolname = $1', [username]);
  const v = res.rows[0]?.rolvaliduntil as Date | null | undefined;
  return v ? v.getTime() : null;
}

/** Create the probe table the reader role is granted (idempotent). */
export async function createProbeTable(db: TestPostgres): Promise<void> {
  await db.admin('CREATE TABLE IF NOT EXISTS public.lease_probe (n int)');
  await db.admin(
    'INSERT INTO public.lease_probe SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM public.lease_probe)',
  );
}

/**
 * A real environment: SQLite store in a temp dir, key-file seal, identity, dynamic credentials and the HTTP app with
 * a real audit log (JSONL files). `reopen()` closes the SQLite file and opens everything again (a restart).
 */
export async function makeCredsEnv(options: { backoff?: BackoffOptions } = {}) {
  const dir = await makeTempDir('leases');
  const dbPath = join(dir, 'hush.db');
  const auditDir = join(dir, 'audit');
  const time = liveClock();
  const seal = new KeyFileSeal({ path: join(dir, 'root.key') });
  const logs = captureLogs();
  const hmacKey = randomBytes(32);
  const backoff = options.backoff ?? { baseMs: 1_000, capMs: 8_000 };

  async function open(first: boolean) {
    const backend = await openSqliteBackend({ path: dbPath });
    const barrier = new Barrier(backend, time.clock);
    const ctx = { backend, barrier, seal: { current: seal }, clock: time.clock };
    if (first) await createInitStore(ctx)();
    else await createUnsealStore(ctx)({});
    const log = await createAuditLog({ sinks: [createJsonlFileSink({ dir: auditDir })], hmacKey });
    const audit = auditPlugin(log);
    const creds = createDynamicCredentials({ backend, barrier, clock: time.clock, backoff });
    // Composed as open-server-deps composes it: revoking a token revokes the leases it obtained.
    const identity = createIdentity({
      backend,
      barrier,
      audit: audit.serverAudit,
      clock: time.clock,
      revokeDependents: creds.revokeDependents,
    });
    const rootToken = first ? (await identity.onInit()).rootToken : undefined;
    const store: SealControl = {
      status: () => ({ initialized: true, sealed: barrier.sealed, kind: 'key-file' }),
      init: async () => {
        throw new Error('already initialised in tests');
      },
      unseal: async () => ({ initialized: true, sealed: barrier.sealed }),
      seal: async () => {
        barrier.close();
      },
    };
    const app = buildApp(
      {
        version: 'test',
        store,
        auth: identity.auth,
        audit: audit.serverAudit,
        routes: [audit],
        services: {
          identity: identity.services,
          creds: { engines: creds.engines, leases: creds.leases, tokenRevoked: tokenRevocations(identity) },
        },
      },
      { limits: { bodyBytes: 1 << 20, maxValueBytes: 1 << 19 }, logLevel: 'info' },
      { logDestination: logs.stream },
    );
    return { backend, barrier, identity, creds, app, log, rootToken };
  }

  let parts = await open(true);
  const rootToken = parts.rootToken as string;
  return {
    dir,
    time,
    logs,
    rootToken,
    get creds() {
      return parts.creds;
    },
    get app() {
      return parts.app;
    },
    get identity() {
      return parts.identity;
    },
    /** The storage backend and barrier underneath (to write records as an older release would have). */
    get storage() {
      return { backend: parts.backend, barrier: parts.barrier };
    },
    /** Seal the store (the barrier forgets its keys) as `hush seal` would. */
    seal() {
      parts.barrier.close();
    },
    /** Close the SQLite store (and the app) and open it again from disk. */
    async reopen() {
      await parts.app.close();
      await parts.log.close();
      await parts.backend.close();
      parts = await open(false);
    },
    /** Every audit record written so far, as raw text. */
    async auditText(): Promise<string> {
      const files = await readdir(auditDir).catch(() => [] as string[]);
      const texts = await Promise.all(files.map((f) => readFile(join(auditDir, f), 'utf8')));
      return texts.join('\n');
    },
    async cleanup() {
      await parts.app.close();
      await parts.log.close().catch(() => undefined);
      await parts.backend.close().catch(() => undefined);
      await removeTempDir(dir);
    },
  };
}

/** Requests through fastify.inject with an optional token: the identity tests' helper. */
export { call } from './identity-support.js';
/** The HushError a promise rejects with. */
export { rejection as failure } from './support/rejection.js';

/** What {@link useCredsWithPostgres} keeps current for the tests of one file. */
export interface CredsTestContext {
  /** One real PostgreSQL per test file (with the probe table). */
  db: TestPostgres;
  /** A fresh engine + lease environment per test. */
  env: Awaited<ReturnType<typeof makeCredsEnv>>;
}

/**
 * Register the hooks every lease test file needs: one real PostgreSQL for the file, a fresh credentials environment
 * per test and, with `configureReader`, engine `main` pointing at the database with role `reader` (1 h / 3 h).
 */
export function useCredsWithPostgres(options: { configureReader?: boolean } = {}): CredsTestContext {
  const ctx = {} as CredsTestContext;
  beforeAll(async () => {
    ctx.db = await startTestPostgres();
    await createProbeTable(ctx.db);
  });
  afterAll(async () => {
    await ctx.db?.dispose();
  });
  beforeEach(async () => {
    ctx.env = await makeCredsEnv();
    if (!options.configureReader) return;
    await ctx.env.creds.engines.configure('main', { type: 'postgres', connectionUrl: ctx.db.url });
    await ctx.env.creds.engines.setRole('main', 'reader', {
      creationSql: READER_SQL,
      ttl: '1h',
      maxTtl: '3h',
    });
  });
  afterEach(async () => {
    await ctx.env?.cleanup();
  });
  return ctx;
}
