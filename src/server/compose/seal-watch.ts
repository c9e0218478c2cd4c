import type { HushStore } from '../../store/index.js';
import type { ServerSealControl } from './seal-control.js';

/** What the seal watch reads and drives. */
export interface SealWatchDeps {
  readonly store: Pick<HushStore, 'isSealed' | 'unseal'>;
  readonly control: Pick<ServerSealControl, 'refresh' | 'sealLocally'>;
  /** Unseal again by itself once the lockdown flag is cleared (key-file seal: no operator material needed). */
  readonly autoUnseal: boolean;
  /** Time between checks (two row reads each). */
  readonly intervalMs: number;
  /** Called after this watch unsealed the node (load what needs the keys, e.g. the audit HMAC key). */
  readonly onUnsealed?: () => Promise<void>;
}

/** The running watch; `stop` waits for a check in flight. */
export interface SealWatch {
  /** Run one check now (tests, and right after start-up). */
  checkNow(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Keep this node's seal state in step with the shared storage, for nodes that share one database: when an operator
 * seals any node (the persistent lockdown flag), every other node notices within one interval and forgets its keys
 * too; a node that learnt of an init by another node reports itself initialised; and with the key-file seal a node
 * sealed by the flag unseals again once an operator's unseal on any node clears it. Every node runs its own watch
 * (not only the leader): sealing must not depend on an election. A failed check (storage down) changes nothing.
 */
export function startSealWatch(deps: SealWatchDeps): SealWatch {
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  let stopped = false;

  async function check(): Promise<void> {
    const state = await deps.control.refresh();
    if (stopped || !state.initialized) return;
    if (state.lockedDown && !deps.store.isSealed()) await deps.control.sealLocally();
    else if (!state.lockedDown && deps.store.isSealed() && deps.autoUnseal) {
      await deps.store.unseal({}, { respectLockdown: true });
      await deps.onUnsealed?.();
    }
  }

  function checkNow(): Promise<void> {
    inFlight ??= check()
      .catch(() => undefined) // storage down or the flag set again meanwhile: the next check decides
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => void checkNow().then(schedule), deps.intervalMs);
    timer.unref();
  }

  schedule();
  return {
    checkNow,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inFlight;
    },
  };
}
