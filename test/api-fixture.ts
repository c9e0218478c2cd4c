import { randomBytes, timingSafeEqual } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAuditLog, createJsonlFileSink } from '../src/audit/index.js';
import { loadServerConfig } from '../src/config/server-config.js';
import type { AuditRecord } from '../src/core/audit/audit-record.js';
import { HushError } from '../src/core/errors/index.js';
import {
  type CompiledPolicy,
  evaluate,
  isCapability,
  parsePolicy,
  type RequestedCapability,
} from '../src/core/policy/index.js';
import { KeyFileSeal } from '../src/seal/index.js';
import { buildApp } from '../src/server/app.js';
import { auditPlugin } from '../src/server/plugins/audit.js';
import { type CallerPolicies, secretsRoutes } from '../src/server/routes/secrets.js';
import type { Caller, SealControl, ServerAuth } from '../src/server/server-deps.js';
import { type RunningServer, startServer } from '../src/server/start-server.js';
import { openSqliteBackend } from '../src/storage/sqlite/sqlite-backend.js';
import { createStore, type HushStore } from '../src/store/index.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

/** A test identity: the token it presents and the policy documents it holds. */
export interface TestIdentity {
  readonly id: string;
  readonly rules: readonly { path: string; capabilities: string[] }[];
}

/**
 * ServerAuth + CallerPolicies over the REAL policy evaluator, with policies compiled in the test and keyed by a
 * random test token (compared in constant time). The real token service is built on another branch; this fixture
 * only exercises our own policy engine. Capabilities outside the catalogue (the guard's `sudo`) need `admin`.
 */
export function policyAuthForTests(identities: readonly TestIdentity[]): {
  auth: ServerAuth;
  callerPolicies: CallerPolicies;
  tokens: Record<string, string>;
} {
  const byToken = identities.map((identity) => ({
    token: `hush_s_${randomBytes(24).toString('hex')}`,
    identity,
    policies: [
      parsePolicy({ name: `${identity.id.replace(/[^a-z0-9._-]/g, '-')}-policy`, rules: identity.rules }),
    ] as CompiledPolicy[],
  }));
  const policiesOf = (caller: Caller) => byToken.find((t) => t.identity.id === caller.id)?.policies ?? [];
  const auth: ServerAuth = {
    async authenticate(presented) {
      const got = Buffer.from(presented ?? '');
      const match = byToken.find((t) => {
        const want = Buffer.from(t.token);
        return want.length === got.length && timingSafeEqual(want, got);
      });
      if (!match)
        throw new HushError('HUSH_E_UNAUTHENTICATED', 'no valid token was presented; pass X-Hush-Token');
      return { id: match.identity.id, accessor: `acc_${match.identity.id}`, authMethod: 'token' } as Caller;
    },
    authorize(caller, path, capability) {
      const wanted = (
        isCapability(capability) && capability !== 'deny' ? capability : 'admin'
      ) as RequestedCapability;
      const decision = evaluate(policiesOf(caller), path, wanted, new Date());
      if (!decision.allowed) throw new HushError('HUSH_E_FORBIDDEN', decision.reason);
    },
  };
  return {
    auth,
    callerPolicies: { policiesFor: async (caller) => policiesOf(caller) },
    tokens: Object.fromEntries(byToken.map((t) => [t.identity.id, t.token])),
  };
}

/** The store's seal lifecycle in the server's SealControl shape (the integrator writes the production one). */
export function storeSealControl(store: HushStore): SealControl {
  const status = async () => {
    const s = await store.status();
    return { initialized: s.initialized, sealed: s.sealed, ...(s.sealKind ? { kind: s.sealKind } : {}) };
  };
  return {
    status,
    async init() {
      const result = await store.init();
      return {
        ...(result.oneTime?.shares ? { shares: result.oneTime.shares } : {}),
        ...(result.oneTime?.threshold ? { threshold: result.oneTime.threshold } : {}),
      };
    },
    async unseal(material) {
      await store.unseal(material);
      return status();
    },
    seal: () => store.seal(),
  };
}

/** Identities used across the API and client tests. */
export const IDENTITIES: readonly TestIdentity[] = [
  { id: 'user:admin', rules: [{ path: '**', capabilities: ['admin'] }] },
  { id: 'user:db-reader', rules: [{ path: 'app/prod/db/*', capabilities: ['read'] }] },
  { id: 'user:creator', rules: [{ path: 'app/**', capabilities: ['create', 'read'] }] },
  { id: 'user:nobody', rules: [{ path: 'other/**', capabilities: ['read'] }] },
  {
    id: 'user:app-admin-vault-denied',
    rules: [
      { path: 'app/**', capabilities: ['admin'] },
      { path: 'app/prod/vault/*', capabilities: ['deny'] },
    ],
  },
  { id: 'user:exact-admin', rules: [{ path: 'app/prod', capabilities: ['admin'] }] },
];

/** Options of {@link makeApiFixture}. */
export interface ApiFixtureOptions {
  /** Point the only audit sink below a regular file, so every append fails. */
  readonly brokenAudit?: boolean;
  readonly bodyBytes?: number;
  readonly maxValueBytes?: number;
  /** Leave the store uninitialised (for init over HTTP). */
  readonly uninitialized?: boolean;
}

/**
 * A real stack in a temp dir: SQLite file, key-file seal, store (initialised, unsealed), JSONL audit log, the
 * audit plugin, the secrets routes and policyAuthForTests.
 */
export async function makeApiFixture(options: ApiFixtureOptions = {}) {
  const dir = await makeTempDir('api');
  const backend = await openSqliteBackend({ path: join(dir, 'hush.db') });
  const store = createStore({ backend, seal: new KeyFileSeal({ path: join(dir, 'root.key') }) });
  if (!options.uninitialized) await store.init();
  const auditDir = join(dir, 'audit');
  let sinkDir = auditDir;
  if (options.brokenAudit) {
    writeFileSync(join(dir, 'not-a-dir'), 'x');
    sinkDir = join(dir, 'not-a-dir', 'audit');
  }
  const auditLog = await createAuditLog({
    // An optional sink lets the log start; with it the only sink, every append fails (fail closed).
    sinks: [createJsonlFileSink({ dir: sinkDir, required: !options.brokenAudit })],
    hmacKey: randomBytes(32),
  });
  const audit = auditPlugin(auditLog);
  const { auth, callerPolicies, tokens } = policyAuthForTests(IDENTITIES);
  const limits = { bodyBytes: options.bodyBytes ?? 64 * 1024, maxValueBytes: options.maxValueBytes ?? 4096 };
  let rootGeneration = 0;
  const deps = {
    version: '0.1.0-test',
    store: storeSealControl(store),
    auth,
    audit: audit.serverAudit,
    routes: [
      audit,
      secretsRoutes({
        store,
        auth,
        callerPolicies,
        limits,
        rotateRootOptions: () => ({
          seal: new KeyFileSeal({ path: join(dir, `root-${++rootGeneration}.key`) }),
        }),
      }),
    ],
    onShutdown: [() => auditLog.close(), () => store.close()],
  };
  const app = buildApp(deps, { limits, logLevel: 'silent' });
  const servers: RunningServer[] = [];
  return {
    dir,
    app,
    deps,
    limits,
    store,
    tokens,
    auditFile: join(auditDir, 'audit.log'),
    /** Every audit record written so far. */
    records(): AuditRecord[] {
      let text = '';
      try {
        text = readFileSync(join(auditDir, 'audit.log'), 'utf8');
      } catch {
        return [];
      }
      return text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as AuditRecord);
    },
    /** Serve the same deps over real HTTP on 127.0.0.1 (any free port). */
    async listen(): Promise<RunningServer> {
      const loaded = loadServerConfig({
        cwd: dir,
        flags: { listen: '127.0.0.1:0', logLevel: 'silent' },
        env: {},
      });
      const server = await startServer(
        { ...loaded.config, limits },
        { ...deps, onShutdown: [] },
        { signals: new EventEmitter(), out: { write: () => true } },
      );
      servers.push(server);
      return server;
    },
    async cleanup() {
      for (const server of servers) await server.shutdown('test over');
      await app.close();
      await auditLog.close();
      await store.close();
      await removeTempDir(dir);
    },
  };
}

/** Headers presenting `token`. */
export function as(token: string | undefined): Record<string, string> {
  return token ? { 'x-hush-token': token } : {};
}
