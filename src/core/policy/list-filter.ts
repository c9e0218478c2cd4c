import { grants } from './capabilities.js';
import type { CompiledPolicy, CompiledRule } from './compile-policy.js';
import { evaluate } from './evaluate.js';

/**
 * Keep only the secret paths the caller may `read` (list results must never reveal what the caller cannot read).
 * Order is preserved.
 */
export function filterReadable(
  policies: readonly CompiledPolicy[],
  paths: readonly string[],
  now: Date,
): string[] {
  return paths.filter((p) => evaluate(policies, p, 'read', now).allowed);
}

/**
 * True when the caller may see the folder `prefix` in a listing: some valid rule granting `read` or `list` can
 * match a path beneath it, and no valid `deny` rule covers everything beneath it. This is decided from the policy
 * text, not from what exists, so a folder may be shown whose readable children do not exist (yet).
 */
export function canListPrefix(policies: readonly CompiledPolicy[], prefix: string, now: Date): boolean {
  const t = now.getTime();
  const active = policies.flatMap((p) => p.rules).filter((r) => isActive(r, t));
  if (active.some((r) => r.capabilities.includes('deny') && r.glob.coversSubtree(prefix))) return false;
  return active.some(
    (r) =>
      (grants(r.capabilities, 'read') || grants(r.capabilities, 'list')) && r.glob.canMatchBeneath(prefix),
  );
}

function isActive(rule: CompiledRule, nowMs: number): boolean {
  return (
    (rule.notBefore === undefined || nowMs >= rule.notBefore) &&
    (rule.expiresAt === undefined || nowMs < rule.expiresAt)
  );
}
