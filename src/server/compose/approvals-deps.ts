import type { Alerting } from '../../alerts/index.js';
import { createApprovals } from '../../approvals/index.js';
import type { Identity } from '../../identity/index.js';
import type { Canaries } from '../../incident/canaries.js';
import type { HushStore } from '../../store/index.js';
import { canaryAwareAuth } from './canary-deps.js';

/** Every allowed check then answers to the approvals a policy rule may require (the two-person rule). */
export function composeApprovals(
  store: HushStore,
  identity: Identity,
  canaries: Canaries,
  alerting: Pick<Alerting, 'raise'>,
) {
  return createApprovals({
    ...store,
    // Decoy tokens are marked before approvals see a call, so a canary token raises its alert.
    auth: canaryAwareAuth(identity.auth, canaries),
    policies: identity.services.policies,
    raise: (alert) => alerting.raise(alert),
  });
}
