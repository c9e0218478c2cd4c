import { basename, dirname, join } from 'node:path';
import { type Alerting, createAlerting } from '../../alerts/index.js';
import { createApprovals } from '../../approvals/index.js';
import { AUDIT_KEY_FILE } from '../../audit/audit-key-file.js';
import type { AuditSink } from '../../audit/audit-sink.js';
import { createAuditLog, createJsonlFileSink, createStdoutSink } from '../../audit/index.js';
import { createAuditKeyHolder, ensureStoredAuditKey } from '../../audit/stored-audit-key.js';
import type { Leadership } from '../../cluster/leadership.js';
import { createAwsCompat } from '../../compat/aws/index.js';
import type { ServerConfig } from '../../config/server-config-schema.js';
import { createIdentityKeys, createKeyringSubkeys, IDENTITY_KEYRING } from '../../identity/identity-keys.js';
import { callerToken, createIdentity, type Identity } from '../../identity/index.js';
import { createRecordStore } from '../../identity/record-store.js';
import { revokedTokenSweepJob } from '../../identity/revoked-sweep-job.js';
import { createScanFindings } from '../../incident/scan-findings.js';
import { createDynamicCredentials, type DynamicCreds, tokenRevocations } from '../../leases/index.js';
import { parseOutboundAllowList } from '../../net/outbound-allow-list.js';
import { openConfiguredBackend } from '../../storage/open-configured-backend.js';
import { createStore, type HushStore } from '../../store/index.js';
import { createTransit } from '../../transit/index.js';
import { createTrust } from '../../trust/index.js';
import { auditPlugin } from '../plugins/audit.js';
import { createListCursors } from '../routes/secrets/list-cursor.js';
import type { Caller, ServerDeps } from '../server-deps.js';
import { auditHeadGuard, headCheckedStore } from './audit-head-guard.js';
import { backgroundWork } from './background-work.js';
import { canaryAwareAuth, composeCanaries } from './canary-deps.js';
import { composeCerts } from './certs-deps.js';
import { deferredLogger } from './deferred-logger.js';
import { openHsmKeyWrappers } from './hsm-key-wrappers.js';
import { auditTrail, incidentDeps } from './incident-deps.js';
import { keyFileRotateRoot } from './key-file-rotation.js';
import { leadershipForStorage } from './leadership-for-storage.js';
import { composePki } from './pki-deps.js';
import { remediationDeps } from './remediation-deps.js';
import { deliverRootToken, warnIfRootTokenFileLeft } from './root-token-out.js';
import { composeRotation } from './rotation-deps.js';
import { createSealControl } from './seal-control.js';
import { sealForConfig } from './seal-for-config.js';
import { startSealWatch } from './seal-watch.js';

/** The Hush version the server reports. */
export const HUSH_VERSION = '0.1.0';

/** Where start-up messages go (stdout: possibly a log pipeline, so never a secret). */
export interface Terminal {
  write(text: string): unknown;
}

/** The composed parts behind the deps, for in-process tools and tests (never served). */
export interface ServerParts {
  readonly store: HushStore;
  readonly identity: Identity;
  /** Database engines and leases (their expiry job runs in `background`). */
  readonly creds: DynamicCreds;
  /** Suspicious-use rules fed by the audit log; rotation failures `raise` here too. */
  readonly alerting: Alerting;
  /**
   * Whether this node runs cluster-wide background work: SQLite always leads; on PostgreSQL the node holding the
   * advisory lock does. Closed at shutdown (by `background.stop`).
   */
  readonly leadership: Leadership;
  /** Leader-only background jobs (lease expiry, secret-expiry alerts, rotation schedules). */
  readonly background: ReturnType<typeof backgroundWork>;
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
  /**
   * A terminal a person reads (the CLI passes stderr when it is a TTY): the only place a new store's root token is
   * shown. Without one the token is written once to `<dataDir>/root-token` (0600) and only that path is logged.
   */
  readonly tty?: Terminal;
  /**
   * Initialise or unseal only once the server listens (an onStart hook) instead of before returning: `hush server`
   * sets it, so a busy port fails before a store is initialised and its root token minted (and lost).
   */
  readonly startUpOnListen?: boolean;
  /** How often each node re-reads the shared seal state (lockdown flag, initialised). Default 2000 ms. */
  readonly sealWatchIntervalMs?: number;
}

/**
 * Open everything `hush server` serves from its config: SQLite storage, the seal, the store, identity (tokens,
 * policies, logins), the audit trail (fail closed), `POST /v1/sys/audit/hash` and the secrets routes. Callers are
 * audited by token identity and accessor. On the embedded default (key-file seal) a new store is initialised on first
 * start (unless `autoInit: false`) and the root token shown once on `options.tty`, or written to a 0600 file; an initialised one unseals itself
 * unless an operator sealed it, and rotate-root swaps the key file in place. A pkcs11 store does the same, logging in
 * to its HSM with the PIN from $HUSH_PKCS11_PIN or seal.pinFile. Shamir and RSA stores start sealed and wait for
 * `/v1/sys/init` / `/v1/sys/unseal`.
 */
export async function openServerDeps(
  config: ServerConfig,
  terminal: Terminal,
  options: OpenServerOptions = {},
): Promise<OpenedServerDeps> {
  const hsmKeys = await openHsmKeyWrappers(config.keys.hsm);
  const backend = await openConfiguredBackend(config.storage);
  const store = createStore({
    backend,
    keyWrappers: hsmKeys.wrappers,
    seal: sealForConfig(config.seal),
    maxValueBytes: config.limits.maxValueBytes,
  });
  // The audit HMAC key lives in the store (sealed, shared by every node); records written before this node's first
  // unseal HMAC under a throwaway key (see docs/audit.md).
  const auditKey = createAuditKeyHolder(() =>
    ensureStoredAuditKey(
      createRecordStore(store.readBackend, createIdentityKeys(store.barrier), { cacheSize: 0 }),
      join(config.dataDir, AUDIT_KEY_FILE),
      (text) => terminal.write(text),
    ),
  );
  const hmacKey = () => auditKey.current();
  const auditLog = await openAuditLog(config, hmacKey);
  const audit = auditPlugin(auditLog);
  const log = deferredLogger();
  const alerting = createAlerting({ config: config.alerts, logger: log });
  auditLog.subscribe((record) => alerting.onAuditRecord(record));
  const outboundAllow = parseOutboundAllowList(config.outbound.allow);
  const outbound = { allow: outboundAllow, log: (fields: object, msg: string) => log.warn(fields, msg) };
  const creds = createDynamicCredentials({ backend: store.readBackend, barrier: store.barrier, outbound });
  // Identity reads through the store's read cache, so token and policy rows are served from memory too.
  const identity = createIdentity({
    backend: store.readBackend,
    barrier: store.barrier,
    audit: audit.serverAudit,
    revokeDependents: creds.revokeDependents,
    loginLimits: config.loginLimits,
    outbound,
  });
  const canaries = composeCanaries(store, alerting);
  auditLog.subscribe((record) => canaries.onAuditRecord(record));
  // Every allowed check then answers to the approvals a policy rule may require (the two-person rule).
  const approvals = createApprovals({
    ...store,
    // Decoy tokens are marked before approvals see a call, so a canary token raises its alert.
    auth: canaryAwareAuth(identity.auth, canaries),
    policies: identity.services.policies,
    raise: (alert) => alerting.raise(alert),
  });
  const auth = approvals.auth;
  // List cursors are sealed under a key every node derives alike from the identity keyring (not a per-process key:
  // a cursor from one node must continue on another behind a load balancer).
  const cursorKeys = createKeyringSubkeys(store.barrier, {
    keyring: IDENTITY_KEYRING,
    info: { lookup: 'hush list-cursor unused v1', record: 'hush list-cursor aead v1' },
  });
  const headGuard = auditHeadGuard(config, store, auditLog, alerting, terminal);
  const guardedStore = headCheckedStore(store, headGuard);
  const seal = createSealControl({
    store: guardedStore,
    identity: {
      onInit: async () => {
        const result = await identity.onInit();
        if (!store.barrier.sealed) await auditKey.load();
        return result;
      },
      onUnsealed: () => auditKey.load(),
      onSeal: () => {
        identity.onSeal();
        creds.onSeal();
        cursorKeys.wipe();
        canaries.forget();
      },
    },
    seal: config.seal.kind === 'shamir' ? config.seal : { kind: config.seal.kind },
  });
  let sealWatch: ReturnType<typeof startSealWatch> | undefined;
  const begin = async (): Promise<void> => {
    await startUp(config, seal, store, terminal, options.autoInit ?? true, options.tty);
    if (!store.barrier.sealed) await auditKey.load();
    // Sealed at start (shamir, rsa, a lockdown): the check runs when the store is first unsealed instead.
    const refusal = await headGuard.check();
    if (refusal) {
      await auditLog.close();
      throw refusal;
    }
    sealWatch = startSealWatch({
      store: guardedStore,
      control: seal,
      autoUnseal: selfUnsealing(config),
      onUnsealed: () => auditKey.load(),
      intervalMs: options.sealWatchIntervalMs ?? 2_000,
    });
  };
  if (!options.startUpOnListen) await begin();
  const leadership = leadershipForStorage(config.storage, (leader) =>
    terminal.write(
      leader
        ? 'hush: this node now leads cluster background work\n'
        : 'hush: this node no longer leads cluster background work\n',
    ),
  );
  const keyFile = config.seal.kind === 'key-file' ? config.seal.path : undefined;
  const rotation = composeRotation(store, auditLog, alerting, {
    allow: outboundAllow,
    log: (fields, msg) => log.warn(fields, msg),
  });
  const certs = composeCerts(store, alerting, config.certs, outboundAllow);
  const trust = createTrust({
    ...store,
    isSealed: () => store.isSealed(),
    raise: (alert) => alerting.raise(alert),
  });
  const ca = composePki(store, certs);
  const background = backgroundWork({
    extraJobs: [
      rotation.job,
      revokedTokenSweepJob({ tokens: identity.services.tokens }),
      certs.job,
      trust.job,
      ca.job,
    ],
    isSealed: () => {
      const now = seal.status();
      return now instanceof Promise ? true : now.sealed;
    },
    store,
    creds,
    alerting,
    alerts: config.alerts,
    leadership,
  });
  const callerPolicies = async (caller: Caller) => {
    const token = callerToken(caller);
    return token ? identity.services.policies.compile(token.policies) : [];
  };
  const transit = createTransit(store);
  return {
    parts: { store, identity, creds, alerting, leadership, background },
    version: HUSH_VERSION,
    store: seal,
    auth,
    audit: audit.serverAudit,
    routes: [audit],
    services: {
      auditHash: { hmacKey },
      secrets: {
        store: keyFile ? { ...store, rotateRoot: keyFileRotateRoot(store, keyFile) } : store,
        callerPolicies: { policiesFor: callerPolicies },
        listCursors: createListCursors(async () => (await cursorKeys.subkeys()).record),
        limits: { maxValueBytes: config.limits.maxValueBytes },
        onSecretMoved: rotation.rotation.followMove,
      },
      identity: identity.services,
      knownSecrets: { store, canaries },
      creds: { engines: creds.engines, leases: creds.leases, tokenRevoked: tokenRevocations(identity) },
      rotation: { rotation: rotation.rotation },
      incident: incidentDeps(config, {
        store,
        identity,
        seal,
        leases: creds.leases,
        rotateOne: rotation.rotateOne,
        auditHeads: headGuard.records,
      }),
      alerts: { alerting },
      canaries: { canaries },
      remediation: remediationDeps({
        store,
        identity,
        alerting,
        rotation: rotation.rotation,
        rotateOne: rotation.rotateOne,
        leases: creds.leases,
      }),
      transit: { transit },
      aws: {
        aws: createAwsCompat({ store, identity: identity.services, transit, policiesFor: callerPolicies }),
      },
      approvals: { approvals: approvals.service },
      trust: { trust: trust.service },
      certs: { certs: certs.service, onChanged: certs.onChanged },
      vault: { bodyBytes: config.limits.bodyBytes },
      pki: { pki: ca.pki, onChanged: certs.onChanged },
      scanFindings: { findings: createScanFindings(store) },
      cryptRecipients: { auditRecords: auditTrail(config, headGuard.records) },
    },
    metrics: [certs.metrics],
    onStart: [
      ...(options.startUpOnListen ? [begin] : []),
      (serverLog) => {
        log.attach(serverLog);
        background.start(serverLog);
      },
    ],
    onShutdown: [
      () => sealWatch?.stop(),
      // The store's copy of the audit head catches up before the keys are forgotten.
      async () => headGuard.keeper.sync(),
      () => background.stop(),
      () => alerting.close(),
      // Forget the keys without setting the lockdown flag: a restart should unseal as before.
      () => store.seal({ persist: false }),
      () => auditLog.close(),
      () => backend.close(),
      () => hsmKeys.close(),
    ],
  };
}

async function openAuditLog(config: ServerConfig, hmacKey: () => Uint8Array) {
  const sinks: AuditSink[] = [];
  const file = config.audit.file;
  if (file)
    sinks.push(
      createJsonlFileSink({
        dir: dirname(file.path),
        fileName: basename(file.path),
        maxBytes: file.maxBytes,
        sync: file.sync,
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
  tty: Terminal | undefined,
): Promise<void> {
  await warnIfRootTokenFileLeft(config.dataDir, terminal);
  let state = await seal.refresh();
  if (!selfUnsealing(config) || (!state.initialized && !autoInit)) {
    if (!state.initialized)
      terminal.write('hush: store not initialised; POST /v1/sys/init (or `hush init` with HUSH_ADDR)\n');
    else if (state.lockedDown) terminal.write(LOCKED_DOWN_NOTE);
    else
      terminal.write(
        'hush: store is sealed; unseal it with POST /v1/sys/unseal (or `hush unseal` with HUSH_ADDR)\n',
      );
    return;
  }
  if (!state.initialized) {
    const won = await initOrJoin(config, seal);
    if (won) {
      const how =
        config.seal.kind === 'pkcs11'
          ? `pkcs11 seal: root key wrapped by key "${config.seal.keyLabel}" on token "${config.seal.tokenLabel}"`
          : 'key-file seal: the key sits beside the data; use shamir or rsa in production';
      terminal.write(`hush: initialised a new store in ${config.dataDir} (${how})\n`);
      if (won.rootToken) {
        await deliverRootToken(won.rootToken, {
          dataDir: config.dataDir,
          log: terminal,
          ...(tty ? { tty } : {}),
        });
      }
      return;
    }
    terminal.write('hush: another node initialised the shared store; unsealing from the same seal\n');
    state = await seal.refresh();
  }
  if (state.lockedDown) {
    terminal.write(LOCKED_DOWN_NOTE);
    return;
  }
  await store.unseal({}, { respectLockdown: true });
}

const LOCKED_DOWN_NOTE =
  'hush: store was sealed or locked down by an operator and stays sealed; lift it with `hush incident unlock` (POST /v1/sys/incident/unlock)\n';

/** Key-file and pkcs11 stores need no operator material (the key file, or the HSM plus its PIN from env/file). */
function selfUnsealing(config: ServerConfig): boolean {
  return config.seal.kind === 'key-file' || config.seal.kind === 'pkcs11';
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
    // Shared storage: another node. Any storage: an operator's POST /v1/sys/init that came first (the server listens
    // before it initialises).
    const joinable = config.storage.kind === 'postgres' || code === 'HUSH_E_ALREADY_INITIALIZED';
    if (!lostRace || !joinable) throw err;
    const deadline = Date.now() + INIT_RACE_WAIT_MS;
    while (!(await seal.refresh()).initialized) {
      // A key file left by an init that never wrote its record: report the original, actionable error.
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return undefined;
  }
}
