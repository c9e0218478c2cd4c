import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';
import type { ServerAudit } from '../ports/audit-port.js';
import type { ServerAuth } from '../ports/auth-port.js';
import type { SealKind, UnsealMaterial } from '../seal/seal.js';
import type { RouteServices } from './routes/route-table.js';

/** What the server needs to know about the store's seal state (health, seal guard, metrics, sys routes). */
export interface SealStatus {
  readonly initialized: boolean;
  readonly sealed: boolean;
  /** The configured seal kind, once known. */
  readonly kind?: SealKind;
  /** Shamir: shares needed to unseal / shares issued at init. */
  readonly threshold?: number;
  readonly shares?: number;
  /** Shamir, one share per call: shares this node holds towards the threshold (0 when no unseal is under way). */
  readonly progress?: number;
  /** Shamir: the id of the unseal under way on this node (a reset or a completed unseal starts a new one). */
  readonly nonce?: string;
}

/**
 * What `POST /v1/sys/unseal` takes: the whole material at once, or (shamir, as Vault's sys/unseal) one share per call
 * as `key`, kept on the node until the threshold is reached; `reset` drops the shares given so far, and `nonce`, when
 * sent, must name the unseal under way.
 */
export type UnsealRequest = UnsealMaterial & {
  readonly key?: string;
  readonly reset?: boolean;
  readonly nonce?: string;
};

/** Options for `POST /v1/sys/init` (Shamir shape; other seals ignore them). */
export interface InitRequest {
  readonly shares?: number;
  readonly threshold?: number;
}

/** What init hands to the operator exactly once. Never logged, never stored by the server. */
export interface InitResult {
  /** Shamir shares, when the seal is Shamir. */
  readonly shares?: readonly string[];
  readonly threshold?: number;
  /** The initial root token, if the store issues one at init. */
  readonly rootToken?: string;
}

/**
 * The narrow slice of the store the sys routes use. The integrator adapts `createStore(...)` to this shape.
 * `status()` is called on every guarded request, so it must be cheap (in-memory state).
 */
export interface SealControl {
  status(): SealStatus | Promise<SealStatus>;
  init(request: InitRequest): Promise<InitResult>;
  /** Unseal with operator material (shares / private key); throws HUSH_E_UNSEAL_FAILED on bad material. */
  unseal(material: UnsealRequest): Promise<SealStatus>;
  /** Seal and set the persistent flag; `lockdown` (incident response) is lifted only by an explicit unlock. */
  seal(reason?: 'seal' | 'lockdown'): Promise<void>;
  /**
   * Mint a new root token for a quorum of shamir shares or the rsa private key (a lost root token's recovery, as
   * Vault's generate-root). Absent where not offered; seals without operator material refuse (HUSH_E_USAGE).
   */
  generateRoot?(material: UnsealMaterial): Promise<{ readonly rootToken: string }>;
  /** Lifting an operator's seal or lockdown; absent on servers without a persistent lockdown. */
  readonly lockdown?: LockdownControl;
}

/**
 * How `POST /v1/sys/incident/unlock` lifts the persistent lockdown that `POST /v1/sys/seal` and
 * `POST /v1/sys/incident/lockdown` set. Seals that need no operator material (key-file, pkcs11) lift it only for a
 * token with `sudo` (policies: `admin`) on `sys/seal`; shamir and rsa need their unseal material (the proof).
 */
export interface LockdownControl {
  /** `token`: a key-file or pkcs11 seal (the server can open its own barrier); `material`: shamir or rsa. */
  readonly unlockProof: 'token' | 'material';
  /**
   * `token` proof: open the barrier so the presented token can be checked, while status() stays sealed (nothing is
   * served). True when it opened the barrier (pass that to unlock or abandonUnlock); false when there was nothing to
   * open (not locked down, or already open).
   */
  prepareUnlock(): Promise<boolean>;
  /** Lift the lockdown (unsealing with `material` first when the seal needs it); the caller is authorised. */
  unlock(material: UnsealMaterial, prepared: boolean): Promise<SealStatus>;
  /** After a failed unlock: drop the keys again if the store is still locked down and no other unlock is open. */
  abandonUnlock(prepared: boolean): Promise<void>;
}

export type { DenialEvent, DenialHolder, RefusedEvent, ServerAudit } from '../ports/audit-port.js';
export type { Caller, ServerAuth } from '../ports/auth-port.js';

/** The server's logger as background work sees it (pino's signature: fields first, then the message). */
export interface ServerLogger {
  info(fields: object, msg: string): void;
  warn(fields: object, msg: string): void;
  error(fields: object, msg: string): void;
}

/** Everything the HTTP server is built from. Plain values and narrow interfaces, so tests pass real pieces in. */
export interface ServerDeps {
  /** Hush version reported by /v1/sys/health and the OpenAPI document. */
  readonly version: string;
  readonly store: SealControl;
  /** Without it, routes that require a token fail closed with HUSH_E_UNAUTHENTICATED. */
  readonly auth?: ServerAuth;
  readonly audit?: ServerAudit;
  /** The domain services the API serves: `routeTable` (routes/route-table.ts) turns them into routes, in one place. */
  readonly services?: RouteServices;
  /**
   * Plugins registered after the sys routes and before the route table: the audit plugin (its hooks cover every
   * route registered after it), and routes of tests.
   */
  readonly routes?: readonly FastifyPluginAsync[];
  /** Extra metrics a domain adds to the app's Prometheus registry (e.g. certificate expiry gauges). */
  readonly metrics?: readonly ((registry: Registry) => void)[];
  /**
   * Run once the server listens, with its logger: start background jobs (expiry sweeps, rotation schedules) and
   * anything else that should log through the server's logger. A hook that throws stops the server from starting.
   */
  readonly onStart?: readonly ((log: ServerLogger) => void | Promise<void>)[];
  /** Run in order after the HTTP server has drained at shutdown: close storage, flush audit sinks. */
  readonly onShutdown?: readonly (() => void | Promise<void>)[];
}
