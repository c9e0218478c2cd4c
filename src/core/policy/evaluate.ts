import { type Capability, grants, type RequestedCapability } from './capabilities.js';
import type { CompiledPolicy, CompiledRule } from './compile-policy.js';
import { splitPath } from './path-glob.js';

/** Identifies one rule of one policy, for decisions and explanations. */
export interface RuleRef {
  readonly policy: string;
  readonly index: number;
  readonly path: string;
  readonly capabilities: readonly Capability[];
}

/** The outcome of a policy decision. */
export interface Decision {
  readonly allowed: boolean;
  /** `grant`: a rule allowed it; `deny-rule`: a `deny` rule vetoed it; `default-deny`: nothing granted it. */
  readonly basis: 'grant' | 'deny-rule' | 'default-deny';
  /** One line a human can read, e.g. `denied by rule 2 of policy "lockdown" (path "payments/**")`. */
  readonly reason: string;
  /** The deciding rule (the granting rule when allowed, the deny rule when vetoed). */
  readonly matchedRule?: RuleRef;
}

/** How one rule relates to one request. */
export type RuleOutcome = 'no-match' | 'not-yet-valid' | 'expired' | 'irrelevant' | 'grants' | 'denies';

/** One rule considered by {@link explain}, with why it did or did not apply. */
export interface RuleAssessment extends RuleRef {
  readonly outcome: RuleOutcome;
  readonly why: string;
}

/** Everything the evaluator looked at, for `hush policy explain`. */
export interface Explanation {
  readonly decision: Decision;
  readonly path: string;
  readonly capability: RequestedCapability;
  /** Every rule of every policy, in policy order then rule order. */
  readonly rules: readonly RuleAssessment[];
}

/**
 * Decide whether `policies` allow `capability` on `path` at `now`. A valid matching `deny` rule wins over any
 * grant; with no valid matching grant the answer is deny. Rules outside their notBefore/expiresAt window are ignored.
 *
 * @example
 * evaluate([parsePolicy(doc)], 'payments/prod/db/password', 'read', new Date()).allowed;
 */
export function evaluate(
  policies: readonly CompiledPolicy[],
  path: string,
  capability: RequestedCapability,
  now: Date,
): Decision {
  const segments = splitPath(path);
  const t = now.getTime();
  let grant: CompiledRule | undefined;
  let lapsed: RuleAssessment | undefined;
  for (const policy of policies) {
    for (const rule of policy.rules) {
      const a = assessRule(rule, segments, capability, t);
      if (a.outcome === 'denies') return decide([a], capability, path);
      if (a.outcome === 'grants') grant ??= rule;
      else if (
        !lapsed &&
        (a.outcome === 'expired' || a.outcome === 'not-yet-valid') &&
        grants(rule.capabilities, capability)
      ) {
        lapsed = a;
      }
    }
  }
  if (grant) return decide([assessRule(grant, segments, capability, t)], capability, path);
  return decide(lapsed ? [lapsed] : [], capability, path);
}

/**
 * `evaluate(...).allowed`, without building the decision's explanation: the per-request check. Same rules: a valid
 * matching deny vetoes, a valid matching grant allows, otherwise deny. Call {@link evaluate} for the reason.
 *
 * @example
 * if (!allows(policies, path, 'read', new Date())) throw forbidden(evaluate(policies, path, 'read', now).reason);
 */
export function allows(
  policies: readonly CompiledPolicy[],
  path: string,
  capability: RequestedCapability,
  now: Date,
): boolean {
  const segments = splitPath(path);
  const t = now.getTime();
  let granted = false;
  for (const policy of policies) {
    for (const rule of policy.rules) {
      if (!rule.glob.matchesSegments(segments)) continue;
      if (rule.notBefore !== undefined && t < rule.notBefore) continue;
      if (rule.expiresAt !== undefined && t >= rule.expiresAt) continue;
      if (rule.capabilities.includes('deny')) return false;
      if (!granted && grants(rule.capabilities, capability)) granted = true;
    }
  }
  return granted;
}

/**
 * Like {@link evaluate}, but also report every rule considered and why it matched or not (`hush policy explain`).
 */
export function explain(
  policies: readonly CompiledPolicy[],
  path: string,
  capability: RequestedCapability,
  now: Date,
): Explanation {
  const segments = splitPath(path);
  const t = now.getTime();
  const rules = policies.flatMap((p) => p.rules.map((r) => assessRule(r, segments, capability, t)));
  return { decision: decide(rules, capability, path), path, capability, rules };
}

/** Decide from assessments: any deny wins, then any grant, else default deny (mentioning a lapsed grant). */
function decide(rules: readonly RuleAssessment[], capability: RequestedCapability, path: string): Decision {
  const deny = rules.find((r) => r.outcome === 'denies');
  if (deny) {
    return { allowed: false, basis: 'deny-rule', reason: `denied: ${deny.why}`, matchedRule: ref(deny) };
  }
  const grant = rules.find((r) => r.outcome === 'grants');
  if (grant) {
    return { allowed: true, basis: 'grant', reason: `allowed: ${grant.why}`, matchedRule: ref(grant) };
  }
  const lapsed = rules.find(
    (r) => (r.outcome === 'expired' || r.outcome === 'not-yet-valid') && grants(r.capabilities, capability),
  );
  const base = `denied: no policy grants "${capability}" on "${path}" (default deny)`;
  return { allowed: false, basis: 'default-deny', reason: lapsed ? `${base}; ${lapsed.why}` : base };
}

function ref(r: RuleRef): RuleRef {
  return { policy: r.policy, index: r.index, path: r.path, capabilities: r.capabilities };
}

/** Assess one rule against one request; `why` names the rule so explanations are self-contained. */
export function assessRule(
  rule: CompiledRule,
  segments: readonly string[],
  capability: RequestedCapability,
  nowMs: number,
): RuleAssessment {
  const base = {
    policy: rule.policy,
    index: rule.index,
    path: rule.glob.pattern,
    capabilities: rule.capabilities,
  };
  const name = `rule ${rule.index} of policy "${rule.policy}" (path "${rule.glob.pattern}")`;
  const caps = `[${rule.capabilities.join(', ')}]`;
  if (!rule.glob.matchesSegments(segments)) {
    return { ...base, outcome: 'no-match', why: `${name} does not match the path` };
  }
  if (rule.notBefore !== undefined && nowMs < rule.notBefore) {
    const when = new Date(rule.notBefore).toISOString();
    return { ...base, outcome: 'not-yet-valid', why: `${name} ${caps} is not valid until ${when}` };
  }
  if (rule.expiresAt !== undefined && nowMs >= rule.expiresAt) {
    const when = new Date(rule.expiresAt).toISOString();
    return { ...base, outcome: 'expired', why: `${name} ${caps} expired at ${when}` };
  }
  if (rule.capabilities.includes('deny')) {
    return { ...base, outcome: 'denies', why: `${name} is a deny rule, which overrides every grant` };
  }
  if (grants(rule.capabilities, capability)) {
    const via = rule.capabilities.includes(capability) ? '' : ' (admin implies it)';
    return { ...base, outcome: 'grants', why: `${name} grants "${capability}"${via}` };
  }
  return { ...base, outcome: 'irrelevant', why: `${name} matches but grants only ${caps}` };
}
