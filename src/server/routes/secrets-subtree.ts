import type { FastifyRequest } from 'fastify';
import { hushError } from '../../core/errors/index.js';
import { type CompiledRule, evaluate, grants, type RequestedCapability } from '../../core/policy/index.js';
import type { SecretsRouteDeps } from './secrets-deps.js';
import { callerOf, requireCapability } from './secrets-request.js';

function active(rule: CompiledRule, nowMs: number): boolean {
  return (
    (rule.notBefore === undefined || nowMs >= rule.notBefore) &&
    (rule.expiresAt === undefined || nowMs < rule.expiresAt)
  );
}

/**
 * Bulk operations (move, import, export) act on everything below `prefix`, including secrets created meanwhile, so a
 * grant on the prefix alone is not enough: the caller needs `capability` on the prefix AND on its whole subtree
 * (a rule like `p/e/**`), and no deny rule may reach below it. Otherwise export could reveal a denied secret.
 */
export async function requireSubtreeCapability(
  deps: Pick<SecretsRouteDeps, 'auth' | 'callerPolicies' | 'now'>,
  request: FastifyRequest,
  prefix: string,
  capability: RequestedCapability,
): Promise<void> {
  await requireCapability(deps, request, prefix, capability);
  const now = (deps.now ?? (() => new Date()))();
  const policies = await deps.callerPolicies.policiesFor(callerOf(request));
  const rules = policies.flatMap((p) => p.rules).filter((r) => active(r, now.getTime()));
  const denyBelow = rules.some(
    (r) => r.capabilities.includes('deny') && (r.glob.matches(prefix) || r.glob.canMatchBeneath(prefix)),
  );
  const coversAll =
    evaluate(policies, prefix, capability, now).allowed &&
    rules.some((r) => grants(r.capabilities, capability) && r.glob.coversSubtree(prefix));
  if (denyBelow || !coversAll) {
    throw hushError('OPERATION_ACTS_EVERYTHING_BELOW_SO', {
      prefix,
      capability,
      value: denyBelow ? 'a deny rule applies below it' : 'the policies do not grant it on the whole subtree',
    });
  }
}
