import type { Capability } from './capabilities.js';
import { compileGlob, type PathGlob } from './path-glob.js';
import { type PolicyDocument, parsePolicyDocument } from './policy-schema.js';

/** A rule ready for evaluation: glob compiled and time bounds parsed once. */
export interface CompiledRule {
  /** The policy this rule belongs to. */
  readonly policy: string;
  /** Position of the rule within its policy (0-based), for explanations. */
  readonly index: number;
  readonly glob: PathGlob;
  readonly capabilities: readonly Capability[];
  /** Epoch milliseconds; undefined when unbounded. */
  readonly notBefore?: number;
  readonly expiresAt?: number;
  /** Approvals needed to use what this rule grants (absent: none). */
  readonly approvals?: number;
}

/** A policy ready for evaluation. */
export interface CompiledPolicy {
  readonly name: string;
  readonly rules: readonly CompiledRule[];
}

/** Compile an already validated policy document (globs compiled, instants parsed). */
export function compilePolicy(doc: PolicyDocument): CompiledPolicy {
  return Object.freeze({
    name: doc.name,
    rules: Object.freeze(
      doc.rules.map((r, index) =>
        Object.freeze({
          policy: doc.name,
          index,
          glob: compileGlob(r.path),
          capabilities: Object.freeze([...new Set(r.capabilities as Capability[])]),
          ...(r.notBefore ? { notBefore: Date.parse(r.notBefore) } : {}),
          ...(r.expiresAt ? { expiresAt: Date.parse(r.expiresAt) } : {}),
          ...(r.approvals ? { approvals: r.approvals } : {}),
        }),
      ),
    ),
  });
}

/**
 * Validate and compile an untrusted policy document; throws HUSH_E_INVALID_INPUT naming the first problem.
 *
 * @example
 * const p = parsePolicy({ name: 'payments-read', rules: [{ path: 'payments/**', capabilities: ['read', 'list'] }] });
 */
export function parsePolicy(input: unknown): CompiledPolicy {
  return compilePolicy(parsePolicyDocument(input));
}
