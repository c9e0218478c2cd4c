import { grants, type RequestedCapability } from './capabilities.js';
import type { CompiledPolicy } from './compile-policy.js';
import { splitPath } from './path-glob.js';

/**
 * How many approvals the caller needs before using `capability` on `path` at `now` (0: none). Call it once the
 * policies allow the request. The most permissive valid grant wins, as for plain grants: a grant without
 * `approvals` needs none; when every granting rule requires approvals, the smallest count applies.
 *
 * @example
 * requiredApprovals([parsePolicy({ name: 'p', rules: [{ path: 'prod/**', capabilities: ['read'], approvals: 2 }] })],
 *   'prod/db', 'read', new Date()); // 2
 */
export function requiredApprovals(
  policies: readonly CompiledPolicy[],
  path: string,
  capability: RequestedCapability,
  now: Date,
): number {
  // `approve` itself is never gated: otherwise approving could need an approval, without end.
  if (capability === 'approve') return 0;
  const segments = splitPath(path);
  const t = now.getTime();
  let needed = Number.POSITIVE_INFINITY;
  for (const policy of policies) {
    for (const rule of policy.rules) {
      if (!grants(rule.capabilities, capability) || !rule.glob.matchesSegments(segments)) continue;
      if (rule.notBefore !== undefined && t < rule.notBefore) continue;
      if (rule.expiresAt !== undefined && t >= rule.expiresAt) continue;
      needed = Math.min(needed, rule.approvals ?? 0);
      if (needed === 0) return 0;
    }
  }
  return Number.isFinite(needed) ? needed : 0;
}

// Compiled policies are frozen and reused across requests, so the answer per policy is computed once.
const guarded = new WeakMap<CompiledPolicy, boolean>();

/** True when any rule of `policies` requires approvals (callers skip the path walk for everyone else). */
export function anyApprovalRule(policies: readonly CompiledPolicy[]): boolean {
  return policies.some((p) => {
    let known = guarded.get(p);
    if (known === undefined) {
      known = p.rules.some((r) => r.approvals !== undefined);
      guarded.set(p, known);
    }
    return known;
  });
}
