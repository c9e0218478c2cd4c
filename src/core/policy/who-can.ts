import type { RequestedCapability } from './capabilities.js';
import type { CompiledPolicy } from './compile-policy.js';
import { type Decision, evaluate } from './evaluate.js';

/** An identity (user, role, group member) and the policies attached to it, for access review. */
export interface IdentityPolicies {
  readonly identity: string;
  readonly policies: readonly CompiledPolicy[];
}

/** One identity that holds the capability, with the rule that grants it. */
export interface WhoCanEntry {
  readonly identity: string;
  readonly decision: Decision;
}

/**
 * Access review (`hush access who-can read payments/prod/db/password`): the identities allowed `capability` on
 * `path` at `now`, sorted by identity, each with the granting rule.
 */
export function whoCan(
  identities: readonly IdentityPolicies[],
  path: string,
  capability: RequestedCapability,
  now: Date,
): WhoCanEntry[] {
  return identities
    .map((i) => ({ identity: i.identity, decision: evaluate(i.policies, path, capability, now) }))
    .filter((e) => e.decision.allowed)
    .sort((a, b) => (a.identity < b.identity ? -1 : a.identity > b.identity ? 1 : 0));
}
