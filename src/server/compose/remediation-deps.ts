import type { Alerting } from '../../alerts/index.js';
import { isHushError } from '../../core/errors/hush-error.js';
import type { Identity } from '../../identity/index.js';
import type { RotateOne } from '../../incident/incident-service.js';
import { createRemediation } from '../../incident/remediate-leaks.js';
import type { LeaseService } from '../../leases/lease-service.js';
import type { RotationService } from '../../rotation/index.js';
import type { HushStore } from '../../store/index.js';
import type { RemediateRouteDeps } from '../routes/incident/remediate.js';

/** The parts `POST /v1/sys/remediate` is composed from. */
export interface RemediationParts {
  readonly store: Pick<HushStore, 'versions'>;
  readonly identity: Pick<Identity, 'services'>;
  readonly alerting: Pick<Alerting, 'raise'>;
  readonly rotation: Pick<RotationService, 'effectivePolicy'>;
  /** The same per-secret rotation `incident rotate` uses (audited, alerting on failure). */
  readonly rotateOne: RotateOne;
  /** Dynamic-credential leases (absent: leaked credentials are not looked up). */
  readonly leases?: Pick<LeaseService, 'findByCredential' | 'revoke'>;
}

/** Build the remediation route's deps: leaked secrets rotate by policy, leaked tokens are revoked by accessor. */
export function remediationDeps(parts: RemediationParts): RemediateRouteDeps {
  const tokens = parts.identity.services.tokens;
  return {
    remediation: createRemediation({
      secrets: {
        exists: async (path) => {
          try {
            await parts.store.versions(path);
            return true;
          } catch (err) {
            if (isHushError(err, 'HUSH_E_NOT_FOUND')) return false;
            throw err;
          }
        },
      },
      rotation: {
        manualReason: async (path) =>
          (await parts.rotation.effectivePolicy(path))
            ? undefined
            : 'no rotation policy covers it (set one with `hush rotate policy set`)',
        rotate: parts.rotateOne,
      },
      tokens: {
        findByToken: async (token) => {
          const found = await tokens.findByToken(token);
          return found ? { accessor: found.accessor, identity: found.identity } : undefined;
        },
        revoke: (ref) => tokens.revoke(ref),
      },
      ...(parts.leases ? { leases: leaseSlice(parts.leases) } : {}),
      alert: (input) => parts.alerting.raise(input),
    }),
  };
}

function leaseSlice(leases: Pick<LeaseService, 'findByCredential' | 'revoke'>) {
  return {
    findByCredential: (value: string) => leases.findByCredential(value),
    // A revocation the database could not run yet stays queued and is retried; it is still this lease's revocation.
    revoke: async (leaseId: string) => {
      const r = await leases.revoke(leaseId);
      return [...r.revoked, ...r.queued.map((q) => q.leaseId)];
    },
  };
}
