import type { Alerting } from '../../alerts/index.js';
import type { HushStore } from '../../store/index.js';
import { createTrust } from '../../trust/index.js';

/** Trust stores as the server runs them: a signer nearing expiry raises an alert from the leader-only re-check. */
export function composeTrust(store: HushStore, alerting: Pick<Alerting, 'raise'>) {
  return createTrust({
    ...store,
    isSealed: () => store.isSealed(),
    raise: (alert) => alerting.raise(alert),
  });
}
