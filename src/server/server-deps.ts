import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';
import type { SealKind, UnsealMaterial } from '../seal/seal.js';

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

/** The authenticated caller attached to a request by the auth guard. */
export interface Caller {
  /** A stable, non-secret id (token accessor or entity id) — safe for logs and audit. */
  readonly id: string;
}

/** Token authentication and authorisation, provided by the token/policy modules. */
export interface ServerAuth {
  /**
   * Resolve a presented token (undefined when none) to a caller, or fail with HUSH_E_UNAUTHENTICATED. May answer
   * synchronously (a cached token) or with a promise; a failure may be a throw or a rejection.
   */
  authenticate(token: string | undefined): Caller | Promise<Caller>;
  /** Throw HUSH_E_FORBIDDEN unless `caller` holds `capability` on `path` (e.g. 'sudo' on 'sys/seal'). */
  authorize(caller: Caller, path: string, capability: string): void | Promise<void>;
}

/** A denial, as handed to the audit trail (no token, no body). */
export interface DenialEvent {
  readonly requestId: string;
  readonly method: string;
  readonly route: string;
  readonly code: string;
  readonly callerId?: string;
  /** The accessor of the refused token, when known (a revoked token's, from its tombstone). */
  readonly tokenAccessor?: string;
  /** Why a presented token was refused (`token-expired`, `token-revoked`...), from the error's details. */
  readonly reason?: string;
}

/**
 * Where a request's denial note is kept: the request itself (Fastify's request object, decorated by the audit
 * plugin), never a map keyed by the request id, which clients may choose.
 */
export interface DenialHolder {
  auditDenial?: DenialEvent | null;
}

/** The audit sink slice the framework uses: denials take the same path to the audit append as successes. */
export interface ServerAudit {
  /** Note `event` for `request`'s own audit record (the first denial of a request wins). */
  recordDenial(request: DenialHolder, event: DenialEvent): Promise<void>;
  /**
   * Append the record of a request the router refused before any hook ran (bad URL encoding, an over-long name);
   * resolves once it is durable, throws when it cannot be written (the reply is then 503).
   */
  recordRefused?(event: RefusedEvent): Promise<void>;
}

/** A request refused by the router itself: no route, no caller, and never its URL. */
export interface RefusedEvent {
  readonly requestId: string;
  readonly method: string;
  readonly sourceAddress: string | null;
  readonly status: number;
  readonly code: string;
}

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
  /** Domain route plugins (secrets, tokens, policies...) registered after the sys routes. */
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
