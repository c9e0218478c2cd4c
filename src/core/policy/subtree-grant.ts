import { grants, type RequestedCapability } from './capabilities.js';
import type { CompiledPolicy, CompiledRule } from './compile-policy.js';
import { evaluate } from './evaluate.js';

function active(rule: CompiledRule, nowMs: number): boolean {
  return (
    (rule.notBefore === undefined || nowMs >= rule.notBefore) &&
    (rule.expiresAt === undefined || nowMs < rule.expiresAt)
  );
}

/** Whether policies grant a capability on a whole subtree, and if not, why. */
export type SubtreeGrant =
  | { readonly granted: true }
  | { readonly granted: false; readonly why: 'deny-below' | 'not-whole-subtree' };

/**
 * Bulk operations (move, import, export) act on everything below `prefix`, including secrets created meanwhile, so a
 * grant on the prefix alone is not enough: `capability` must hold on the prefix AND on its whole subtree (a rule like
 * `p/e/**`), and no deny rule may reach below it. Otherwise export could reveal a denied secret.
 *
 * @example
 * subtreeGrant(policies, 'app/prod', 'read', new Date()); // { granted: false, why: 'deny-below' }
 */
export function subtreeGrant(
  policies: readonly CompiledPolicy[],
  prefix: string,
  capability: RequestedCapability,
  now: Date,
): SubtreeGrant {
  const rules = policies.flatMap((p) => p.rules).filter((r) => active(r, now.getTime()));
  const denyBelow = rules.some(
    (r) => r.capabilities.includes('deny') && (r.glob.matches(prefix) || r.glob.canMatchBeneath(prefix)),
  );
  if (denyBelow) return { granted: false, why: 'deny-below' };
  const coversAll =
    evaluate(policies, prefix, capability, now).allowed &&
    rules.some((r) => grants(r.capabilities, capability) && r.glob.coversSubtree(prefix));
  return coversAll ? { granted: true } : { granted: false, why: 'not-whole-subtree' };
}
