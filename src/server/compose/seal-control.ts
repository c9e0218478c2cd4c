import { HushError } from '../../core/errors/hush-error.js';
import type { Identity } from '../../identity/index.js';
import type { SealKind, UnsealMaterial } from '../../seal/seal.js';
import type { HushStore } from '../../store/index.js';
import type { InitRequest, InitResult, SealControl, SealStatus } from '../server-deps.js';

/** What the seal control drives. */
export interface SealControlDeps {
  readonly store: Pick<HushStore, 'init' | 'unseal' | 'seal' | 'status' | 'isSealed'>;
  readonly identity: Pick<Identity, 'onInit' | 'onSeal'> & {
    /** Called after an unseal (load what needs the keys, e.g. the audit HMAC key). */
    readonly onUnsealed?: () => Promise<void>;
  };
  /** The configured seal, for status and to check init requests against. */
  readonly seal: { readonly kind: SealKind; readonly shares?: number; readonly threshold?: number };
}

/** The server's seal control plus a way to learn the initialised state once at startup. */
export interface ServerSealControl extends SealControl {
  /** Read the persisted state (initialised, lockdown) once; status() then answers from memory. */
  refresh(): Promise<{ initialized: boolean; lockedDown: boolean }>;
  /** Forget the keys on this node only (another node sealed the shared store); sets no flag. */
  sealLocally(): Promise<void>;
}

/**
 * Adapt the store and identity to the server's sys routes. `status()` runs on every guarded request, so it answers
 * from memory: initialised is learnt at startup and on init, sealed comes from the barrier.
 */
export function createSealControl(deps: SealControlDeps): ServerSealControl {
  let initialized = false;
  const seal = deps.seal;
  const status = (): SealStatus =>
    seal.kind === 'shamir'
      ? {
          initialized,
          sealed: deps.store.isSealed(),
          kind: seal.kind,
          threshold: seal.threshold,
          shares: seal.shares,
        }
      : { initialized, sealed: deps.store.isSealed(), kind: seal.kind };
  return {
    status,
    async refresh() {
      const s = await deps.store.status();
      initialized = s.initialized;
      return { initialized: s.initialized, lockedDown: s.lockedDown };
    },
    async init(request: InitRequest): Promise<InitResult> {
      checkInitRequest(deps.seal, request);
      const result = await deps.store.init();
      initialized = true;
      const { rootToken } = await deps.identity.onInit();
      return {
        ...(result.oneTime?.shares ? { shares: result.oneTime.shares } : {}),
        ...(result.oneTime?.threshold !== undefined ? { threshold: result.oneTime.threshold } : {}),
        rootToken,
      };
    },
    async unseal(material: UnsealMaterial): Promise<SealStatus> {
      await deps.store.unseal(material);
      initialized = true; // perhaps initialised by another node sharing the storage
      if (!deps.store.isSealed()) await deps.identity.onUnsealed?.();
      return status();
    },
    async seal(): Promise<void> {
      deps.identity.onSeal();
      await deps.store.seal();
    },
    async sealLocally(): Promise<void> {
      deps.identity.onSeal();
      await deps.store.seal({ persist: false });
    },
  };
}

/** Shamir's split is fixed by the server config; an init asking for another split is refused, not ignored. */
function checkInitRequest(seal: SealControlDeps['seal'], request: InitRequest): void {
  const asked = [request.shares, request.threshold].some((v) => v !== undefined);
  if (!asked) return;
  if (seal.kind !== 'shamir') {
    throw new HushError(
      'HUSH_E_INVALID_INPUT',
      `shares/threshold apply to the shamir seal; this server uses ${seal.kind}`,
    );
  }
  if (
    (request.shares !== undefined && request.shares !== seal.shares) ||
    (request.threshold !== undefined && request.threshold !== seal.threshold)
  ) {
    throw new HushError(
      'HUSH_E_INVALID_INPUT',
      `this server splits the root key into ${seal.shares} shares with threshold ${seal.threshold}; set seal.shares/seal.threshold in the config to change that`,
    );
  }
}
