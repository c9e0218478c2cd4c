import { basename, dirname, join } from 'node:path';
import type { AuditSink } from '../../audit/audit-sink.js';
import { createAuditLog, createJsonlFileSink, createStdoutSink } from '../../audit/index.js';
import type { ServerConfig } from '../../config/server-config-schema.js';
import { callerToken, createIdentity } from '../../identity/index.js';
import { withReadCache } from '../../storage/cache/read-cache-backend.js';
import { openSqliteBackend } from '../../storage/sqlite/sqlite-backend.js';
import { createStore } from '../../store/index.js';
import { auditPlugin } from '../plugins/audit.js';
import { secretsRoutes } from '../routes/secrets.js';
import type { ServerDeps } from '../server-deps.js';
import { loadOrCreateAuditKey } from './audit-key.js';
import { createSealControl } from './seal-control.js';
import { sealForConfig } from './seal-for-config.js';

/** The Hush version the server reports. */
export const HUSH_VERSION = '0.1.0';

/** Where start-up messages go: the operator's terminal, never the log. */
export interface Terminal {
  write(text: string): unknown;
}

/**
 * Open everything `hush server` serves from its config: SQLite storage, the seal, the store, identity (tokens,
 * policies, logins), the audit trail (fail closed) and the secrets routes. On the embedded default (key-file seal)
 * a new store is initialised on first start and the root token printed once to the terminal; an initialised one
 * unseals itself unless an operator sealed it. Shamir and RSA stores start sealed and wait for `/v1/sys/unseal`.
 */
export async function openServerDeps(config: ServerConfig, terminal: Terminal): Promise<ServerDeps> {
  const backend = await openSqliteBackend({ path: config.storage.path });
  // One read cache shared by the store and identity, so token and policy rows are served from memory too.
  const cached = withReadCache(backend);
  const store = createStore({
    backend: cached,
    readCache: false,
    seal: sealForConfig(config.seal),
    maxValueBytes: config.limits.maxValueBytes,
  });
  const auditLog = await openAuditLog(config);
  const audit = auditPlugin(auditLog);
  const identity = createIdentity({ backend: cached, barrier: store.barrier, audit: audit.serverAudit });
  const seal = createSealControl({
    store,
    identity,
    seal: config.seal.kind === 'shamir' ? config.seal : { kind: config.seal.kind },
  });
  await startUp(config, seal, store, terminal);
  return {
    version: HUSH_VERSION,
    store: seal,
    auth: identity.auth,
    audit: audit.serverAudit,
    routes: [
      audit,
      secretsRoutes({
        store,
        auth: identity.auth,
        callerPolicies: {
          policiesFor: async (caller) => {
            const token = callerToken(caller);
            return token ? identity.services.policies.compile(token.policies) : [];
          },
        },
        limits: { maxValueBytes: config.limits.maxValueBytes },
      }),
      ...identity.routes,
    ],
    onShutdown: [
      // Forget the keys without setting the lockdown flag: a restart should unseal as before.
      () => store.seal({ persist: false }),
      () => auditLog.close(),
      () => backend.close(),
    ],
  };
}

async function openAuditLog(config: ServerConfig) {
  const sinks: AuditSink[] = [];
  const file = config.audit.file;
  if (file)
    sinks.push(
      createJsonlFileSink({
        dir: dirname(file.path),
        fileName: basename(file.path),
        maxBytes: file.maxBytes,
      }),
    );
  if (config.audit.stdout) sinks.push(createStdoutSink());
  return createAuditLog({
    sinks,
    hmacKey: await loadOrCreateAuditKey(join(config.dataDir, 'audit-hmac.key')),
  });
}

async function startUp(
  config: ServerConfig,
  seal: ReturnType<typeof createSealControl>,
  store: ReturnType<typeof createStore>,
  terminal: Terminal,
): Promise<void> {
  const state = await seal.refresh();
  if (config.seal.kind !== 'key-file') {
    if (!state.initialized)
      terminal.write('hush: store not initialised; POST /v1/sys/init (or `hush init` with HUSH_ADDR)\n');
    else
      terminal.write(
        'hush: store is sealed; unseal it with POST /v1/sys/unseal (or `hush unseal` with HUSH_ADDR)\n',
      );
    return;
  }
  if (!state.initialized) {
    const result = await seal.init({});
    terminal.write(
      `hush: initialised a new store in ${config.dataDir} (key-file seal: the key sits beside the data; use shamir or rsa in production)\n` +
        `hush: root token (shown once, store it now): ${result.rootToken}\n`,
    );
    return;
  }
  if (state.lockedDown) {
    terminal.write('hush: store was sealed by an operator; unseal it with POST /v1/sys/unseal\n');
    return;
  }
  await store.unseal({}, { respectLockdown: true });
}
