import { EventEmitter } from 'node:events';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AUDIT_KEY_FILE, loadOrCreateAuditKey } from '../src/audit/audit-key-file.js';
import { createAuditLog, createJsonlFileSink } from '../src/audit/index.js';
import { loadServerConfig } from '../src/config/server-config.js';
import type { AuditRecord } from '../src/core/audit/audit-record.js';
import { buildApp } from '../src/server/app.js';
import { openServerDeps } from '../src/server/compose/open-server-deps.js';
import { type RunningServer, startServer } from '../src/server/start-server.js';
import { type LoopbackReply, type LoopbackRequest, loopbackClient } from './support/loopback.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

/** A test identity: who it is and the rules of the one policy its token carries. */
export interface TestIdentity {
  readonly id: string;
  readonly rules: readonly { path: string; capabilities: string[] }[];
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
  /** Make the audit directory unusable once the server runs, so every append fails. */
  readonly brokenAudit?: boolean;
  readonly bodyBytes?: number;
  readonly maxValueBytes?: number;
  /** Leave the store uninitialised (for init over HTTP). */
  readonly uninitialized?: boolean;
  /** The server config's `alerts` section (rules and thresholds; see docs/alerts.md). */
  readonly alerts?: Record<string, unknown>;
  /** The server config's `outbound.allow` (where caller-set URLs may go; docs/rotation.md). */
  readonly outboundAllow?: readonly string[];
  /** The server config's `seal` (default: a key file in the temp dir). */
  readonly seal?: Record<string, unknown>;
}

/**
 * The production composition (`openServerDeps`, as `hush server` runs it) in a temp dir: SQLite file, key-file seal,
 * store (initialised and unsealed unless `uninitialized`), identity, JSONL audit log in `<dir>/audit/audit.log` and
 * the secrets routes. Each of {@link IDENTITIES} gets a real policy (written through the policy service) and a real
 * token (minted by the token service, acting as that identity).
 */
export async function makeApiFixture(options: ApiFixtureOptions = {}) {
  const dir = await makeTempDir('api');
  const auditDir = join(dir, 'audit');
  const auditFile = join(auditDir, 'audit.log');
  const limits = { bodyBytes: options.bodyBytes ?? 64 * 1024, maxValueBytes: options.maxValueBytes ?? 4096 };
  if (options.brokenAudit) await seedAuditRecord(dir, auditDir);
  const configFile = join(dir, 'hush.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      limits,
      // A one-byte limit makes every append rotate, which is what finds the directory gone (brokenAudit).
      audit: { file: { path: auditFile, ...(options.brokenAudit ? { maxBytes: 1 } : {}) } },
      ...(options.alerts ? { alerts: options.alerts } : {}),
      ...(options.outboundAllow ? { outbound: { allow: options.outboundAllow } } : {}),
      ...(options.seal ? { seal: options.seal } : {}),
    }),
  );
  const { config } = loadServerConfig({
    cwd: dir,
    configFile,
    flags: { listen: '127.0.0.1:0', logLevel: 'silent', dataDir: dir },
    env: {},
  });
  const deps = await openServerDeps(config, { write: () => true }, { autoInit: !options.uninitialized });
  const { store, identity } = deps.parts;
  const tokens: Record<string, string> = {};
  const accessors: Record<string, string> = {};
  if (!options.uninitialized) {
    for (const { id, rules } of IDENTITIES) {
      const name = `${id.replace(/[^a-z0-9._-]/g, '-')}-policy`;
      await identity.services.policies.write({ name, rules });
      const created = await identity.services.tokens.create({
        policies: [name],
        identity: id,
        displayName: id,
      });
      tokens[id] = created.token;
      accessors[id] = created.view.accessor;
    }
  }
  if (options.brokenAudit) {
    // The sink opened its file at start; take the directory away so the next append (a rotation) cannot write.
    renameSync(auditDir, join(dir, 'audit-gone'));
    writeFileSync(auditDir, 'not a directory');
  }
  const app = buildApp(deps, { limits: config.limits, logLevel: 'silent' });
  const servers: RunningServer[] = [];
  const listen = async (): Promise<RunningServer> => {
    const server = await startServer(
      config,
      { ...deps, onShutdown: [] },
      { signals: new EventEmitter(), out: { write: () => true } },
    );
    servers.push(server);
    return server;
  };
  let client: Promise<(request: LoopbackRequest) => Promise<LoopbackReply>> | undefined;
  return {
    dir,
    app,
    deps,
    limits,
    store,
    identity,
    tokens,
    /** The real accessor of each identity's token. */
    accessors,
    auditFile,
    /** Every audit record written so far. */
    records(): AuditRecord[] {
      let text = '';
      try {
        text = readFileSync(auditFile, 'utf8');
      } catch {
        return [];
      }
      return text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as AuditRecord);
    },
    /** Serve the same deps over real HTTP on 127.0.0.1 (any free port). */
    listen,
    /**
     * One request over real HTTP to a server on these deps (started on first use), in `app.inject`'s shape: API
     * behaviour is tested through the socket, as clients see it. `app.inject` is for Fastify-level details only.
     */
    async http(request: LoopbackRequest): Promise<LoopbackReply> {
      client ??= listen().then((server) => loopbackClient(server.url));
      return (await client)(request);
    },
    async cleanup() {
      for (const server of servers) await server.shutdown('test over');
      await app.close();
      for (const step of deps.onShutdown ?? []) await step();
      await removeTempDir(dir);
    },
  };
}

/** One real record in the audit directory (under the server's own audit key), so the live file is not empty. */
async function seedAuditRecord(dir: string, auditDir: string): Promise<void> {
  mkdirSync(auditDir, { recursive: true, mode: 0o700 });
  const log = await createAuditLog({
    sinks: [createJsonlFileSink({ dir: auditDir })],
    hmacKey: await loadOrCreateAuditKey(join(dir, AUDIT_KEY_FILE)),
  });
  await log.append({ requestId: 'fixture-start', operation: 'fixture.start', outcome: 'allowed' });
  await log.close();
}

/** Headers presenting `token`. */
export function as(token: string | undefined): Record<string, string> {
  return token ? { 'x-hush-token': token } : {};
}
