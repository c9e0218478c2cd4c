import type { AlertInput } from '../alerts/index.js';
import {
  openSealedView,
  type SealedViewSpec,
  type ViewBackend,
  type ViewBarrier,
} from '../store/sealed-view/index.js';
import { trustRecheckJob } from './trust-recheck-job.js';
import { createTrustStoreService } from './trust-store-service.js';

/** Trust stores are sealed under their own reserved keyring, like the other engines' records. */
export const TRUST_KEYRING = { project: '@trust', environment: 'v1' } as const;

/** Trust stores' view: sealed under the `@trust` keyring, below `trust/`. */
export const TRUST_VIEW: SealedViewSpec = {
  name: 'trust',
  prefixes: ['trust/'],
  keyring: TRUST_KEYRING,
  info: { lookup: 'hush trust lookup v1', record: 'hush trust record v1' },
};

/** Compose trust stores and their leader-only signer re-check (daily, warning 30 days before expiry). */
export function createTrust(deps: {
  readonly readBackend: ViewBackend;
  readonly barrier: ViewBarrier;
  readonly isSealed: () => boolean;
  readonly raise: (alert: AlertInput) => unknown;
  readonly intervalMs?: number;
  readonly warnDays?: number;
}) {
  const records = openSealedView(deps.readBackend, deps.barrier, TRUST_VIEW);
  const service = createTrustStoreService({ records, clock: () => new Date() });
  return {
    service,
    job: trustRecheckJob({
      trust: service,
      raise: deps.raise,
      intervalMs: deps.intervalMs ?? 86_400_000,
      warnDays: deps.warnDays ?? 30,
      isSealed: deps.isSealed,
    }),
  };
}
