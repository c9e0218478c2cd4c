import { basename, dirname, join } from 'node:path';
import type { AuditSink } from '../../audit/audit-sink.js';
import { createAuditLog, createJsonlFileSink, createStdoutSink } from '../../audit/index.js';
import type { Leadership } from '../../cluster/leadership.js';
import type { ServerConfig } from '../../config/server-config-schema.js';
import { callerToken, createIdentity, type Identity } from '../../identity/index.js';
import { openConfiguredBackend } from '../../storage/open-configured-backend.js';
import { createStore, type HushStore } from '../../store/index.js';
import { auditPlugin } from '../plugins/audit.js';
import { knownSecretsRoutes } from '../routes/known-secrets.js';
import { secretsRoutes } from '../routes/secrets.js';
import { sysAuditRoutes } from '../routes/sys-audit.js';
import type { ServerDeps } from '../server-deps.js';
import { AUDIT_KEY_FILE, loadOrCreateAuditKey } from './audit-key.js';
import { auditedAuth } from './audited-auth.js';
import { keyFileRotateRoot } from './key-file-rotation.js';
import { leadershipForStorage } from './leadership-for-storage.js';
import { createSealControl } from './seal-control.js';
import { sealForConfig } from './seal-for-config.js';
import { startSealWatch } from './seal-watch.js';

/** The Hush version the server reports. */
export const HUSH_VERSION = '0.1.0';

/** Where start-up messages go: the operator's terminal, never the log. */
export interface Terminal {
  write(text: string): unknown;
}

/** The composed parts behind the deps, for in-process tools and tests (never served). */
export interface ServerParts {
  readonly store: HushStore;
  readonly identity: Identity;
  /**
   * Whether this node runs cluster-wide background work (start `startBackgroundJobs` on it): SQLite always leads;
   * on PostgreSQL the node holding the advisory lock does. Closed at shutdown.
   */
  readonly leadership: Leadership;
}

/** What {@link openServerDeps} returns: the deps `startServer` takes, plus the parts they were built from. */
export type OpenedServerDeps = ServerDeps & { readonly parts: ServerParts };

/** Options of {@link openServerDeps} that are not configuration. */
export interface OpenServerOptions {
  /**
   * Initialise a new key-file store on first start (default true). With false the store waits for
   * `POST /v1/sys/init`, which returns the root token over the API instead of printing it.
   */
  readonly autoInit?: boolean;
  /** How often each node re-reads the shared seal state (lockdown flag, initialised). Default 2000 ms. */
  readonly sealWatchIntervalMs?: number;
}

/**
 * Open everything `hush server` serves from its config: SQLite storage, the seal, the store, identity (tokens,
 * policies, logins), the audit trail (fail closed), `POST /v1/sys/audit/hash` and the secrets routes. Callers are
 * audited by token identity and accessor. On the embedded default (key-file seal) a new store is initialised on first
 * start (unless `autoInit: false`) and the root token printed once to the terminal; an initialised one unseals itself
 * unless an operator sealed it, and rotate-root swaps the key file in place. Shamir and RSA stores start sealed and
 * wait for `/v1/sys/init` / `/v1/sys/unseal`.
 */
export async function openServerDeps(
  config: ServerConfig,
  terminal: Terminal,
  options: OpenServerOptions = {},
): Promise<OpenedServerDeps> {
  const backend = await openConfiguredBackend(config.storage);
  const store = createStore({
    backend,
    seal: sealForConfig(config.seal),
    maxValueBytes: config.limits.maxValueBytes,
  });
  const hmacKey = await loadOrCreateAuditKey(join(config.dataDir, AUDIT_KEY_FILE));
  const auditLog = await openAuditLog(config, hmacKey);
  const audit = auditPlugin(auditLog);
  // Identity reads through the store's read cache, so token and policy rows are served from memory too.
  const identity = createIdentity({
    backend: store.readBackend,
    barrier: store.barrier,
    audit: audit.serverAudit,
  });
  const auth = auditedAuth(identity.auth);
  const seal = createSealControl({
    store,
    identity,
    seal: config.seal.kind === 'shamir' ? config.seal : { kind: config.seal.kind },
  });
  await startUp(config, seal, store, terminal, options.autoInit ?? true);
  const sealWatch = startSealWatch({
    store,
    control: seal,
    autoUnseal: config.seal.kind === 'key-file',
    intervalMs: options.sealWatchIntervalMs ?? 2_000,
  });
  const leadership = leadershipForStorage(config.storage, (leader) =>
    terminal.write(
      leader
        ? 'hush: this node now leads cluster background work\n'
        : 'hush: this node no longer leads cluster background work\n',
    ),
  );
  const keyFile = config.seal.kind === 'key-file' ? config.seal.path : undefined;
  return {
    parts: { store, identity, leadership },
    version: HUSH_VERSION,
    store: seal,
    auth,
    audit: audit.serverAudit,
    routes: [
      audit,
      sysAuditRoutes({ hmacKey }),
      secretsRoutes({
        store: keyFile ? { ...store, rotateRoot: keyFileRotateRoot(store, keyFile) } : store,
        auth,
        callerPolicies: {
          policiesFor: async (caller) => {
            const token = callerToken(caller);
            return token ? identity.services.policies.compile(token.policies) : [];
          },
        },
        limits: { maxValueBytes: config.limits.maxValueBytes },
      }),
      ...identity.routes,
      knownSecretsRoutes({ store, identity }),
    ],
    onShutdown: [
      () => sealWatch.stop(),
      () => leadership.close(),
      // Forget the keys without setting the lockdown flag: a restart should unseal as before.
      () => store.seal({ persist: false }),
      () => auditLog.close(),
      () => backend.close(),
    ],
  };
}

async function openAuditLog(config: ServerConfig, hmacKey: Buffer) {
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
    hmacKey,
  });
}

async function startUp(
  config: ServerConfig,
  seal: ReturnType<typeof createSealControl>,
  store: ReturnType<typeof createStore>,
  terminal: Terminal,
  autoInit: boolean,
): Promise<void> {
  let state = await seal.refresh();
  if (config.seal.kind !== 'key-file' || (!state.initialized && !autoInit)) {
    if (!state.initialized)
      terminal.write('hush: store not initialised; POST /v1/sys/init (or `hush init` with HUSH_ADDR)\n');
    else
      terminal.write(
        'hush: store is sealed; unseal it with POST /v1/sys/unseal (or `hush unseal` with HUSH_ADDR)\n',
      );
    return;
  }
  if (!state.initialized) {
    const won = await initOrJoin(config, seal);
    if (won) {
      terminal.write(
        `hush: initialised a new store in ${config.dataDir} (key-file seal: the key sits beside the data; use shamir or rsa in production)\n` +
          `hush: root token (shown once, store it now): ${won.rootToken}\n`,
      );
      return;
    }
    terminal.write('hush: another node initialised the shared store; unsealing from the same key file\n');
    state = await seal.refresh();
  }
  if (state.lockedDown) {
    terminal.write('hush: store was sealed by an operator; unseal it with POST /v1/sys/unseal\n');
    return;
  }
  await store.unseal({}, { respectLockdown: true });
}

/** How long a node that lost the init race waits for the winner's seal record (shared storage only). */
const INIT_RACE_WAIT_MS = 15_000;

/**
 * Initialise a key-file store, or learn that another node sharing the storage did: init is check-and-set on the
 * seal record (exactly one writer wins) and the key file is created exclusively, so a loser sees either
 * HUSH_E_ALREADY_INITIALIZED or, while the winner is between writing the key file and the record,
 * HUSH_E_ALREADY_EXISTS; it then waits for the record and unseals from the same key file. Returns the winner's
 * result, or undefined when another node won.
 */
async function initOrJoin(
  config: ServerConfig,
  seal: ReturnType<typeof createSealControl>,
): Promise<{ readonly rootToken?: string } | undefined> {
  try {
    return await seal.init({});
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const lostRace = code === 'HUSH_E_ALREADY_INITIALIZED' || code === 'HUSH_E_ALREADY_EXISTS';
    if (!lostRace || config.storage.kind !== 'postgres') throw err;
    const deadline = Date.now() + INIT_RACE_WAIT_MS;
    while (!(await seal.refresh()).initialized) {
      // A key file left by an init that never wrote its record: report the original, actionable error.
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return undefined;
  }
}
