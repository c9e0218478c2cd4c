import type { RequestedCapability } from './capabilities.js';
import type { CompiledPolicy } from './compile-policy.js';
import { type Decision, evaluate, type RuleRef } from './evaluate.js';

/** One capability check a past request needed (`read` on `payments/prod/db`), as its audit record kept it. */
export interface PastCheck {
  readonly path: string;
  readonly capability: RequestedCapability;
}

/** A past request, ready for replay: who asked, when, what it needed, and the token's policies. */
export interface PastRequest {
  readonly time: string;
  readonly requestId: string;
  readonly identity: string | null;
  readonly accessor: string | null;
  readonly operation: string;
  /** Every check the request needed; it was allowed only when all of them passed. */
  readonly checks: readonly PastCheck[];
  /** The token's policy names. */
  readonly policies: readonly string[];
  /** `record`: the policy set the audit record kept; `current`: the token's policies now (older records). */
  readonly policiesAsOf: 'record' | 'current';
}

/** One side of a flip: the verdict, its reason and the rule that decided. */
export interface SimulatedVerdict {
  readonly allowed: boolean;
  readonly reason: string;
  readonly rule?: RuleRef;
}

/** A past request whose verdict changes under the draft. */
export interface PolicyFlip {
  readonly time: string;
  readonly requestId: string;
  readonly identity: string | null;
  readonly accessor: string | null;
  readonly operation: string;
  /** The check that decided (the first one whose verdict changed). */
  readonly path: string;
  readonly capability: RequestedCapability;
  readonly before: SimulatedVerdict;
  readonly after: SimulatedVerdict;
  readonly policiesAsOf: 'record' | 'current';
}

/** What a simulation counted, beside its flips. */
export interface SimulationCounts {
  /** Requests replayed. */
  readonly evaluated: number;
  /** Requests whose token holds the draft's policy (the only ones a draft can change). */
  readonly affected: number;
  readonly nowDenied: number;
  readonly nowAllowed: number;
  /** Requests replayed with the token's current policies because their record predates the policy set field. */
  readonly currentPolicies: number;
}

/** The result of {@link simulatePolicy}. */
export interface PolicySimulation {
  readonly flips: PolicyFlip[];
  readonly counts: SimulationCounts;
  /** More flips were found than `maxFlips`; counts are still complete. */
  readonly truncated: boolean;
}

/** Input of {@link simulatePolicy}. */
export interface SimulationInput {
  /** The draft, compiled (validate it with parsePolicy first). It replaces the stored policy of the same name. */
  readonly draft: CompiledPolicy;
  /** The stored policies by name (`root` included); names no longer stored are skipped. */
  readonly current: ReadonlyMap<string, CompiledPolicy>;
  readonly requests: Iterable<PastRequest>;
  /** Keep at most this many flips (default 1000). */
  readonly maxFlips?: number;
}

/**
 * Replay past requests against a draft policy (`hush policy simulate`): each request is decided twice at its own
 * time, with the token's policies as stored now and with the draft in place of the stored policy of its name, and
 * the requests whose verdict changes are returned as flips. A request whose token does not hold the draft's policy
 * cannot change and is only counted.
 *
 * @example
 * simulatePolicy({ draft: parsePolicy(doc), current: new Map([[p.name, p]]), requests }).flips;
 */
export function simulatePolicy(input: SimulationInput): PolicySimulation {
  const maxFlips = input.maxFlips ?? 1000;
  const flips: PolicyFlip[] = [];
  let evaluated = 0;
  let affected = 0;
  let nowDenied = 0;
  let nowAllowed = 0;
  let currentPolicies = 0;
  let truncated = false;
  for (const request of input.requests) {
    evaluated += 1;
    if (request.policiesAsOf === 'current') currentPolicies += 1;
    if (!request.policies.includes(input.draft.name)) continue;
    affected += 1;
    const flip = replay(request, input.draft, input.current);
    if (!flip) continue;
    if (flip.after.allowed) nowAllowed += 1;
    else nowDenied += 1;
    if (flips.length < maxFlips) flips.push(flip);
    else truncated = true;
  }
  return { flips, counts: { evaluated, affected, nowDenied, nowAllowed, currentPolicies }, truncated };
}

/** Decide one request both ways; the flip, or undefined when the verdict stays. */
function replay(
  request: PastRequest,
  draft: CompiledPolicy,
  current: ReadonlyMap<string, CompiledPolicy>,
): PolicyFlip | undefined {
  const stored: CompiledPolicy[] = [];
  const withDraft: CompiledPolicy[] = [];
  for (const name of request.policies) {
    const policy = current.get(name);
    if (policy) stored.push(policy);
    const drafted = name === draft.name ? draft : policy;
    if (drafted) withDraft.push(drafted);
  }
  const at = new Date(request.time);
  const before = decideAll(stored, request.checks, at);
  const after = decideAll(withDraft, request.checks, at);
  if (before.decision.allowed === after.decision.allowed) return undefined;
  // The check that explains the flip: the one now failing (allowed -> denied) or the one that failed before.
  const check = after.decision.allowed ? before.check : after.check;
  const beforeOn = evaluate(stored, check.path, check.capability, at);
  const afterOn = evaluate(withDraft, check.path, check.capability, at);
  return {
    time: request.time,
    requestId: request.requestId,
    identity: request.identity,
    accessor: request.accessor,
    operation: request.operation,
    path: check.path,
    capability: check.capability,
    before: verdict(beforeOn),
    after: verdict(afterOn),
    policiesAsOf: request.policiesAsOf,
  };
}

/** A request passes when every check does; the first failing check decides, else the last one. */
function decideAll(
  policies: readonly CompiledPolicy[],
  checks: readonly PastCheck[],
  at: Date,
): { decision: Decision; check: PastCheck } {
  let last: { decision: Decision; check: PastCheck } | undefined;
  for (const check of checks) {
    const decision = evaluate(policies, check.path, check.capability, at);
    last = { decision, check };
    if (!decision.allowed) return last;
  }
  if (!last) throw new RangeError('a past request to replay needs at least one check');
  return last;
}

function verdict(d: Decision): SimulatedVerdict {
  return d.matchedRule
    ? { allowed: d.allowed, reason: d.reason, rule: d.matchedRule }
    : { allowed: d.allowed, reason: d.reason };
}

const DEFAULT_DENY = '(default deny)';

/** The policies a verdict shows: its deciding rule's, and one a default deny quotes (a lapsed grant). */
export function policiesShownBy(v: SimulatedVerdict): string[] {
  if (v.rule) return [v.rule.policy];
  return [...v.reason.matchAll(/policy "([^"]+)"/g)].map((m) => m[1] as string);
}

/**
 * Hide what flips show of policies the caller may not read: a verdict decided by such a policy's rule keeps its
 * verdict and the policy's name (names are listable) but loses the rule (its path pattern and capabilities), and a
 * default deny loses the lapsed rule it quotes. The simulator replays every policy a token held, not only the draft.
 *
 * @example
 * hideUnreadableRules(flips, (name) => readable.has(name));
 */
export function hideUnreadableRules(
  flips: readonly PolicyFlip[],
  mayRead: (policy: string) => boolean,
): PolicyFlip[] {
  const hide = (v: SimulatedVerdict): SimulatedVerdict => {
    if (policiesShownBy(v).every(mayRead)) return v;
    if (v.rule) {
      const verb = v.allowed ? 'allowed' : 'denied';
      return { allowed: v.allowed, reason: `${verb} by a rule of policy "${v.rule.policy}" (not readable)` };
    }
    const cut = v.reason.indexOf(DEFAULT_DENY);
    return { allowed: v.allowed, reason: cut < 0 ? 'denied' : v.reason.slice(0, cut + DEFAULT_DENY.length) };
  };
  return flips.map((f) => ({ ...f, before: hide(f.before), after: hide(f.after) }));
}
