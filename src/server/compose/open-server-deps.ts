import { ALERTS_VIEW, storedAlertState, storedExpiryStages } from '../../alerts/alert-state.js';
import { type Alerting, createAlerting } from '../../alerts/index.js';
import type { Leadership } from '../../cluster/leadership.js';
import { createAwsCompat } from '../../compat/aws/index.js';
import type { ServerConfig } from '../../config/server-config-schema.js';
import type { Identity } from '../../identity/index.js';
import { revokedTokenSweepJob } from '../../identity/revoked-sweep-job.js';
import { createScanFindings } from '../../incident/scan-findings.js';
import { type DynamicCreds, tokenRevocations } from '../../leases/index.js';
import { parseOutboundAllowList } from '../../net/outbound-allow-list.js';
import { configuredLocation } from '../../storage/backend-location.js';
import { openBackend } from '../../storage/open-backend.js';
import { createStore, type HushStore } from '../../store/index.js';
import { openSealedView } from '../../store/sealed-view/index.js';
import { createTransit, transitAutoRotateJob } from '../../transit/index.js';
import type { ServerDeps } from '../server-deps.js';
import { composeApprovals } from './approvals-deps.js';
import { composeAudit } from './audit-deps.js';
import { auditHeadGuard, headCheckedStore } from './audit-head-guard.js';
import { auditTrailDeps } from './audit-trail-deps.js';
import { backgroundWork } from './background-work.js';
import { composeCanaries } from './canary-deps.js';
import { composeCerts } from './certs-deps.js';
import { deferredLogger } from './deferred-logger.js';
import { openHsmKeyWrappers, openHsmSigner } from './hsm-key-wrappers.js';
import { composeIdentity } from './identity-deps.js';
import { auditTrail, incidentDeps } from './incident-deps.js';
import { leadershipForStorage, storageSweepJobs } from './leadership-for-storage.js';
import { composePki } from './pki-deps.js';
import { remediationDeps } from './remediation-deps.js';
import { composeRotation } from './rotation-deps.js';
import { createSealControl } from './seal-control.js';
import { sealForConfig } from './seal-for-config.js';
import { startSealWatch } from './seal-watch.js';
import { callerPoliciesOf, secretsDeps } from './secrets-deps.js';
import { selfUnsealing, startUp, type Terminal } from './start-up.js';
import { composeTrust } from './trust-deps.js';

export type { Terminal } from './start-up.js';

/** The Hush version the server reports. */
export const HUSH_VERSION = '0.1.0';

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
  const hsmSigner = await openHsmSigner(config.keys.hsmTokens);
  const backend = await openBackend(configuredLocation(config.storage));
  const store = createStore({
    backend,
    keyWrappers: hsmKeys.wrappers,
    seal: sealForConfig(config.seal),
    maxValueBytes: config.limits.maxValueBytes,
  });
  const { auditKey, hmacKey, auditLog, audit } = await composeAudit(config, store, terminal);
  const log = deferredLogger();
  const alertRecords = openSealedView(store.readBackend, store.barrier, ALERTS_VIEW);
  const alerting = createAlerting({
    config: config.alerts,
    logger: log,
    state: storedAlertState(alertRecords, (err) =>
      log.warn({ code: (err as { code?: unknown }).code ?? 'error' }, 'alert cool-down kept in memory only'),
    ),
  });
  // What needs the keys once unsealed: the audit HMAC key, and the alert cool-downs a restart must not repeat.
  const afterUnseal = async (): Promise<void> => {
    await auditKey.load();
    await alerting.restore();
  };
  auditLog.subscribe((record) => alerting.onAuditRecord(record));
  const outboundAllow = parseOutboundAllowList(config.outbound.allow);
  const outbound = { allow: outboundAllow, log: (fields: object, msg: string) => log.warn(fields, msg) };
  const { creds, identity } = composeIdentity(config, store, audit.serverAudit, outbound);
  const canaries = composeCanaries(store, alerting);
  auditLog.subscribe((record) => canaries.onAuditRecord(record));
  const approvals = composeApprovals(store, identity, canaries, alerting);
  const auth = approvals.auth;
  const headGuard = auditHeadGuard(config, store, auditLog, alerting, terminal);
  const guardedStore = headCheckedStore(store, headGuard);
  const seal = createSealControl({
    store: guardedStore,
    identity: {
      onInit: async () => {
        const result = await identity.onInit();
        if (!store.barrier.sealed) await afterUnseal();
        return result;
      },
      onUnsealed: afterUnseal,
    },
    seal: config.seal.kind === 'shamir' ? config.seal : { kind: config.seal.kind },
  });
  let sealWatch: ReturnType<typeof startSealWatch> | undefined;
  const begin = async (): Promise<void> => {
    await startUp(config, seal, store, terminal, options.autoInit ?? true, options.tty);
    if (!store.barrier.sealed) await afterUnseal();
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
      onUnsealed: afterUnseal,
      intervalMs: options.sealWatchIntervalMs ?? 2_000,
    });
  };
  if (!options.startUpOnListen) await begin();
  const leadership = leadershipForStorage(
    config.storage,
    (leader) => {
      if (!leader) {
        terminal.write('hush: this node no longer leads cluster background work\n');
        return;
      }
      // This node unsealed (and loaded the stored cool-downs) perhaps long ago: load those the old leader armed since,
      // so the leader-only alerts it now raises repeat none inside its cool-down. Announced once they are loaded.
      const restored = store.barrier.sealed ? Promise.resolve() : alerting.restore();
      void restored.then(() => terminal.write('hush: this node now leads cluster background work\n'));
    },
    backend,
  );
  const rotation = composeRotation(store, auditLog, alerting, {
    allow: outboundAllow,
    log: (fields, msg) => log.warn(fields, msg),
  });
  const certs = composeCerts(store, alerting, config.certs, outboundAllow);
  const trust = composeTrust(store, alerting);
  const ca = composePki(store, certs, config.pki, hsmSigner);
  const transit = createTransit({
    readBackend: store.readBackend,
    barrier: store.barrier,
    ...(hsmSigner ? { hsm: hsmSigner } : {}),
  });
  const background = backgroundWork({
    extraJobs: [
      rotation.job,
      revokedTokenSweepJob({ tokens: identity.services.tokens }),
      certs.job,
      trust.job,
      ca.job,
      transitAutoRotateJob({
        keys: transit.keys,
        audit: (event) => auditLog.append(event),
        isSealed: () => store.isSealed(),
      }),
      ...storageSweepJobs(backend),
    ],
    isSealed: () => {
      const now = seal.status();
      return now instanceof Promise ? true : now.sealed;
    },
    store,
    creds,
    alerting,
    alerts: config.alerts,
    expiryStages: storedExpiryStages(alertRecords),
    leadership,
  });
  const callerPolicies = callerPoliciesOf(identity);
  return {
    parts: { store, identity, creds, alerting, leadership, background },
    version: HUSH_VERSION,
    store: seal,
    auth,
    audit: audit.serverAudit,
    routes: [audit],
    services: {
      auditHash: { hmacKey },
      ...auditTrailDeps(config, { identity, auditHeads: headGuard.records }),
      secrets: secretsDeps(config, store, identity, rotation.rotation),
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
      async () => hsmSigner?.close(),
    ],
  };
}
