import type { RotationPolicy } from './policy-schema.js';
import type { RotationState } from './policy-store.js';

/** True when `prefix` (segments) covers `path`: equal, or a whole-segment prefix of it. */
export function coversPath(prefix: string, path: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** The policy that governs `path`: its own path policy, else the longest covering prefix policy. */
export function policyFor(policies: readonly RotationPolicy[], path: string): RotationPolicy | undefined {
  let best: RotationPolicy | undefined;
  for (const p of policies) {
    if (p.kind === 'path') {
      if (p.target === path) return p;
    } else if (coversPath(p.target, path) && (best === undefined || p.target.length > best.target.length)) {
      best = p;
    }
  }
  return best;
}

/**
 * When a secret is next due: the time recorded after its last rotation, else one interval after its served version
 * was written (a secret that does not exist yet is due now).
 */
export function dueAt(
  policy: RotationPolicy,
  state: RotationState | undefined,
  servedCreatedAt?: string,
): Date {
  if (state?.nextDueAt !== undefined) return new Date(state.nextDueAt);
  if (servedCreatedAt === undefined) return new Date(0);
  return new Date(new Date(servedCreatedAt).getTime() + policy.intervalMs);
}
