import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createIdentity, type IdentityDeps } from '../src/identity/index.js';
import type { RemoteKeyOptions } from '../src/identity/jwt-remote-keys.js';
import type { LoginGuardOptions } from '../src/identity/login-guard.js';
import { KeyFileSeal } from '../src/seal/key-file/key-file-seal.js';
import { buildApp } from '../src/server/app.js';
import type { SealControl } from '../src/server/server-deps.js';
import { withReadCache } from '../src/storage/cache/read-cache-backend.js';
import { openSqliteBackend } from '../src/storage/sqlite/sqlite-backend.js';
import { Barrier } from '../src/store/barrier.js';
import { createInitStore } from '../src/store/seal/init-store.js';
import { createUnsealStore } from '../src/store/seal/unseal-store.js';
import { createFileAudit } from './server-test-helpers.js';
import { captureLogs } from './support/capture-logs.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

/** A settable clock starting at a fixed instant. */
export function testClock(start = Date.parse('2026-06-01T00:00:00Z')) {
  const state = { now: start };
  return {
    clock: () => new Date(state.now),
    advance: (ms: number) => {
      state.now += ms;
    },
    state,
  };
}

/**
 * A real identity environment: SQLite file in a temp dir, a real key-file seal, the store's own init and barrier,
 * the identity module on top, and the HTTP app built with its auth and routes.
 */
export async function makeIdentityEnv(
  options: {
    loginLimits?: LoginGuardOptions;
    jwtKeyFetch?: Partial<RemoteKeyOptions>;
    revokeDependents?: IdentityDeps['revokeDependents'];
    trustedProxies?: readonly string[];
  } = {},
) {
  const dir = await makeTempDir('identity');
  const dbPath = join(dir, 'hush.db');
  const raw = await openSqliteBackend({ path: dbPath });
  // As `hush server` composes it: identity and the barrier read through the coherent read cache, so these tests
  // run the synchronous fast paths (token, policy and keyring peeks) as well as the full ones.
  const backend = withReadCache(raw);
  const time = testClock();
  const barrier = new Barrier(backend, time.clock, raw);
  const seal = new KeyFileSeal({ path: join(dir, 'root.key') });
  const ctx = { backend, barrier, seal: { current: seal }, clock: time.clock };
  await createInitStore(ctx)();
  const auditFile = join(dir, 'audit.jsonl');
  const audit = createFileAudit(auditFile);
  const identity = createIdentity({
    backend,
    audit,
    barrier,
    clock: time.clock,
    ...(options.loginLimits ? { loginLimits: options.loginLimits } : {}),
    ...(options.jwtKeyFetch ? { jwtKeyFetch: options.jwtKeyFetch } : {}),
    ...(options.revokeDependents ? { revokeDependents: options.revokeDependents } : {}),
  });
  const { rootToken } = await identity.onInit();
  const store: SealControl = {
    status: () => ({ initialized: true, sealed: barrier.sealed, kind: 'key-file' }),
    init: async () => {
      throw new Error('already initialised in tests');
    },
    unseal: async () => {
      await createUnsealStore(ctx)({});
      return { initialized: true, sealed: barrier.sealed };
    },
    seal: async () => {
      barrier.close();
    },
  };
  const logs = captureLogs();
  const app = buildApp(
    { version: 'test', store, auth: identity.auth, audit, services: { identity: identity.services } },
    {
      limits: { bodyBytes: 1 << 20, maxValueBytes: 1 << 19 },
      logLevel: 'info',
      ...(options.trustedProxies ? { trustedProxies: options.trustedProxies } : {}),
    },
    { logDestination: logs.stream },
  );
  return {
    dir,
    dbPath,
    backend,
    barrier,
    identity,
    services: identity.services,
    rootToken,
    app,
    logs,
    time,
    /** Denials recorded so far (JSON lines of the audit file). */
    async denials(): Promise<Record<string, string>[]> {
      const text = await readFile(auditFile, 'utf8').catch(() => '');
      return text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, string>);
    },
    /** Every byte SQLite holds on disk (database and write-ahead log). */
    async fileBytes(): Promise<string> {
      const parts = await Promise.all(
        ['', '-wal', '-shm'].map((s) => readFile(dbPath + s).catch(() => Buffer.alloc(0))),
      );
      return Buffer.concat(parts).toString('latin1');
    },
    async cleanup() {
      await app.close();
      await backend.close().catch(() => undefined);
      await removeTempDir(dir);
    },
  };
}

/** Send a JSON request through fastify.inject with an optional token. */
export async function call(
  app: Awaited<ReturnType<typeof makeIdentityEnv>>['app'],
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  token?: string,
  body?: unknown,
  remoteAddress?: string,
) {
  const res = await app.inject({
    method,
    url,
    headers: {
      ...(token ? { 'x-hush-token': token } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    ...(remoteAddress ? { remoteAddress } : {}),
  });
  // biome-ignore lint/suspicious/noExplicitAny: any: test assertions read arbitrary JSON fields
  const json = res.body ? (JSON.parse(res.body) as Record<string, any>) : {};
  return { status: res.statusCode, json, headers: res.headers, body: res.body };
}
