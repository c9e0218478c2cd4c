import { type HushError, isHushError } from '../../core/errors/hush-error.js';
import { hushError } from '../../core/errors/index.js';
import type { Identity } from '../../identity/index.js';
import type { SealKind, UnsealMaterial } from '../../seal/seal.js';
import type { HushStore, LockReason } from '../../store/index.js';
import type {
  InitRequest,
  InitResult,
  LockdownControl,
  SealControl,
  SealStatus,
  UnsealRequest,
} from '../server-deps.js';
import { createShareCollector } from './unseal-progress.js';

/** What the seal control drives. */
export interface SealControlDeps {
  readonly store: Pick<
    HushStore,
    'init' | 'unseal' | 'seal' | 'liftLockdown' | 'checkMaterial' | 'status' | 'isSealed'
  >;
  readonly identity: Pick<Identity, 'onInit'> & {
    /** Called after an unseal (load what needs the keys, e.g. the audit HMAC key). */
    readonly onUnsealed?: () => Promise<void>;
  };
  /** The configured seal, for status and to check init requests against. */
  readonly seal: { readonly kind: SealKind; readonly shares?: number; readonly threshold?: number };
}

/** The server's seal control plus a way to learn the initialised state once at startup. */
export interface ServerSealControl extends SealControl {
  readonly lockdown: LockdownControl;
  /** Read the persisted state (initialised, lockdown) once; status() then answers from memory. */
  refresh(): Promise<{ initialized: boolean; lockedDown: boolean; lockReason?: LockReason }>;
  /** Forget the keys on this node only (another node sealed the shared store); sets no flag. */
  sealLocally(): Promise<void>;
}

/**
 * Adapt the store and identity to the server's sys routes. `status()` runs on every guarded request, so it answers
 * from memory: initialised is learnt at startup and on init; sealed comes from the barrier and from the lockdown flag
 * (learnt at start-up, by the seal watch and on seal), so a node whose barrier is open only to check an unlock
 * token still serves nothing. An HTTP unseal never lifts a lockdown: only {@link LockdownControl.unlock} does.
 */
export function createSealControl(deps: SealControlDeps): ServerSealControl {
  let initialized = false;
  let lockedDown = false;
  // Unlock attempts whose barrier is open for a token check; the seal watch must not close it under them.
  let unlocking = 0;
  const seal = deps.seal;
  const selfUnsealing = seal.kind === 'key-file' || seal.kind === 'pkcs11';
  const collector = createShareCollector((material) => deps.store.checkMaterial(material));
  const status = (): SealStatus => {
    const sealed = lockedDown || deps.store.isSealed();
    if (seal.kind !== 'shamir') return { initialized, sealed, kind: seal.kind };
    const under = collector.state();
    return {
      initialized,
      sealed,
      kind: seal.kind,
      threshold: under?.threshold ?? seal.threshold,
      shares: seal.shares,
      progress: under?.progress ?? 0,
      ...(under ? { nonce: under.nonce } : {}),
    };
  };
  const refresh = async () => {
    const s = await deps.store.status();
    initialized = s.initialized;
    lockedDown = s.lockedDown;
    return {
      initialized: s.initialized,
      lockedDown: s.lockedDown,
      ...(s.lockReason ? { lockReason: s.lockReason } : {}),
    };
  };
  const sealLocally = async (): Promise<void> => {
    await deps.store.seal({ persist: false });
  };
  /** The material an unseal request carries: all at once, or the quorum once one share per call reaches it. */
  const materialOf = async (request: UnsealRequest): Promise<UnsealMaterial | undefined> => {
    const { key, nonce, reset: _reset, ...material } = request;
    if (key === undefined) {
      collector.reset(); // a whole set of material replaces any shares given one by one
      return material;
    }
    if (seal.kind !== 'shamir') {
      throw hushError('ONE_SHARE_PER_CALL_KEY', { kind: seal.kind });
    }
    if (!deps.store.isSealed()) return undefined;
    const shares = await collector.add(key, nonce);
    return shares ? { shares } : undefined;
  };
  const lockdown: LockdownControl = {
    unlockProof: selfUnsealing ? 'token' : 'material',
    async prepareUnlock() {
      await refresh();
      if (!lockedDown || !deps.store.isSealed()) return false;
      unlocking++;
      try {
        await deps.store.unseal({}, { keepLockdown: true });
        return true;
      } catch (err) {
        unlocking--;
        throw err;
      }
    },
    async unlock(material: UnsealMaterial, prepared: boolean) {
      try {
        if (deps.store.isSealed()) await deps.store.unseal(material, { keepLockdown: true });
        await deps.store.liftLockdown();
        lockedDown = false;
        initialized = true;
        return status();
      } finally {
        if (prepared) unlocking--;
      }
    },
    async abandonUnlock(prepared: boolean) {
      if (prepared) unlocking--;
      if (unlocking === 0 && lockedDown && !deps.store.isSealed()) await sealLocally();
    },
  };
  return {
    status,
    lockdown,
    refresh,
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
    async unseal(request: UnsealRequest): Promise<SealStatus> {
      if (request.reset) {
        collector.reset();
        return status();
      }
      const state = await refresh();
      // Shamir or rsa material lifts an operator's plain seal (the material is the proof, as in Vault); nothing but
      // an unlock lifts an incident lockdown, and nothing anonymous lifts either on a seal that needs no material.
      const materialLifts = !selfUnsealing && state.lockReason === 'seal';
      if (state.lockedDown && !materialLifts) throw lockedDownError(lockdown.unlockProof);
      const material = await materialOf(request);
      if (material === undefined) return status(); // progress kept, or already unsealed
      try {
        await deps.store.unseal(material, { respectLockdown: !materialLifts });
        if (materialLifts) lockedDown = false;
      } catch (err) {
        // The flag appeared between the read above and the unseal (another node's lockdown).
        if (isHushError(err, 'HUSH_E_SEALED') && (await refresh()).lockedDown)
          throw lockedDownError(lockdown.unlockProof);
        throw err;
      }
      initialized = true; // perhaps initialised by another node sharing the storage
      if (!deps.store.isSealed()) await deps.identity.onUnsealed?.();
      return status();
    },
    async generateRoot(material: UnsealMaterial) {
      if (selfUnsealing) {
        throw hushError('SEAL_NEEDS_NO_OPERATOR_MATERIAL', { kind: seal.kind });
      }
      await deps.store.checkMaterial(material);
      return deps.identity.onInit();
    },
    async seal(reason: LockReason = 'seal'): Promise<void> {
      lockedDown = true; // before the keys go: nothing is served from here on
      await deps.store.seal({ reason });
    },
    async sealLocally(): Promise<void> {
      if (unlocking > 0) return; // an unlock is checking a token; it seals again itself if that fails
      await sealLocally();
    },
  };
}

/** The refusal of an unseal while an operator's seal or lockdown stands: it names the one way out. */
export function lockedDownError(proof: LockdownControl['unlockProof']): HushError {
  return proof === 'token'
    ? hushError('LOCKED_DOWN_UNLOCK_WITH_ADMIN_TOKEN')
    : hushError('LOCKED_DOWN_UNLOCK_WITH_UNSEAL_MATERIAL');
}

/** Shamir's split is fixed by the server config; an init asking for another split is refused, not ignored. */
function checkInitRequest(seal: SealControlDeps['seal'], request: InitRequest): void {
  const asked = [request.shares, request.threshold].some((v) => v !== undefined);
  if (!asked) return;
  if (seal.kind !== 'shamir') {
    throw hushError('SHARES_THRESHOLD_APPLY_SHAMIR_SEAL', { kind: seal.kind });
  }
  if (
    (request.shares !== undefined && request.shares !== seal.shares) ||
    (request.threshold !== undefined && request.threshold !== seal.threshold)
  ) {
    throw hushError('SERVER_SPLITS_ROOT_KEY_INTO', { shares: seal.shares, threshold: seal.threshold });
  }
}
