import { hushError } from '../core/errors/index.js';
import { type RecordOp, retryCas, type SealedView } from '../store/sealed-view/index.js';
import type { RotationPolicy } from './policy-schema.js';

/** Storage prefixes of rotation records (paths are visible to storage, values are encrypted). */
export const POLICY_PREFIX = 'rotation/policy/';
export const STATE_PREFIX = 'rotation/state/';

/** The outcome of the last rotation attempt of one secret. */
export interface RotationOutcome {
  readonly outcome: 'rotated' | 'failed';
  readonly at: string;
  readonly trigger: RotationTrigger;
  /** The staged version (promoted when rotated, cancelled when failed). */
  readonly version?: number;
  readonly code?: string;
  readonly message?: string;
}

/** What started a rotation. */
export type RotationTrigger = 'manual' | 'scheduled' | 'on-deploy';

/** Per-secret rotation bookkeeping. */
export interface RotationState {
  readonly path: string;
  /** When the next scheduled rotation is due (set after every attempt). */
  readonly nextDueAt?: string;
  /** Rotate at the next `--on-deploy` even if not due. */
  readonly flagged?: boolean;
  readonly last?: RotationOutcome;
  readonly lastSuccessAt?: string;
}

function policyKey(kind: RotationPolicy['kind'], target: string): string {
  return `${POLICY_PREFIX}${kind}/${target}`;
}

/** Policy and state records over an encrypted record store. */
export function createPolicyStore(records: SealedView) {
  return {
    /** Create or replace the policy for its target. */
    async putPolicy(policy: RotationPolicy): Promise<void> {
      const key = policyKey(policy.kind, policy.target);
      await retryCas(async () => {
        const found = await records.get<RotationPolicy>(key);
        await records.batch([{ op: 'put', key, value: policy, expectedRevision: found?.revision ?? 0 }]);
      });
    },
    /** The policy of a path or prefix, or undefined. */
    async getPolicy(kind: RotationPolicy['kind'], target: string): Promise<RotationPolicy | undefined> {
      return (await records.get<RotationPolicy>(policyKey(kind, target)))?.value;
    },
    /** Remove a policy; HUSH_E_NOT_FOUND when there is none. */
    async deletePolicy(kind: RotationPolicy['kind'], target: string): Promise<void> {
      const key = policyKey(kind, target);
      const found = await records.get<RotationPolicy>(key);
      if (!found) throw hushError('NO_ROTATION_POLICY', { kind, target });
      await records.batch([{ op: 'delete', key, expectedRevision: found.revision }]);
    },
    /** Every policy (path and prefix), sorted by target. */
    async listPolicies(): Promise<RotationPolicy[]> {
      const out: RotationPolicy[] = [];
      for (const key of await records.keys(POLICY_PREFIX)) {
        const found = await records.get<RotationPolicy>(key);
        if (found) out.push(found.value);
      }
      return out.sort((a, b) => a.target.localeCompare(b.target) || a.kind.localeCompare(b.kind));
    },
    /** A secret's rotation state, or undefined when it was never rotated or flagged. */
    async getState(path: string): Promise<RotationState | undefined> {
      return (await records.get<RotationState>(`${STATE_PREFIX}${path}`))?.value;
    },
    /** Change a secret's state with check-and-set (concurrent rotations of other secrets never collide). */
    async updateState(
      path: string,
      change: (old: RotationState | undefined) => RotationState,
    ): Promise<RotationState> {
      const key = `${STATE_PREFIX}${path}`;
      return retryCas(async () => {
        const found = await records.get<RotationState>(key);
        const next = change(found?.value);
        await records.batch([{ op: 'put', key, value: next, expectedRevision: found?.revision ?? 0 }]);
        return next;
      });
    },
    /**
     * A secret moved from `from` to `to`: its rotation state (flag, last outcome, next due time) moves with it, and
     * whatever state the destination had (a secret the move overwrote) goes, so neither path keeps a stale one.
     */
    async moveState(from: string, to: string): Promise<void> {
      const source = `${STATE_PREFIX}${from}`;
      const target = `${STATE_PREFIX}${to}`;
      await retryCas(async () => {
        const moving = await records.get<RotationState>(source);
        const replaced = await records.get<RotationState>(target);
        const ops: RecordOp[] = moving
          ? [
              { op: 'delete', key: source, expectedRevision: moving.revision },
              {
                op: 'put',
                key: target,
                value: { ...moving.value, path: to },
                expectedRevision: replaced?.revision ?? 0,
              },
            ]
          : replaced
            ? [{ op: 'delete', key: target, expectedRevision: replaced.revision }]
            : [];
        if (ops.length > 0) await records.batch(ops);
      });
    },
  };
}

/** The policy and state record helpers. */
export type PolicyStore = ReturnType<typeof createPolicyStore>;
