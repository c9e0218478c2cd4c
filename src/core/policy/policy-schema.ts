import { z } from 'zod';
import { hushError } from '../errors/index.js';
import { CAPABILITIES, isCapability } from './capabilities.js';
import { globProblem } from './path-glob.js';

const POLICY_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const POLICY_NAME_RULE =
  'policy names are 1-64 characters of a-z, 0-9, ".", "_", "-", starting with a letter or digit';

/** Throw HUSH_E_INVALID_INPUT unless `name` is a valid policy name (e.g. before it goes into a URL). */
export function checkPolicyName(name: string): string {
  if (!POLICY_NAME.test(name)) {
    throw hushError('POLICY_NAME_INVALID', { name: name.slice(0, 80), policyNameRule: POLICY_NAME_RULE });
  }
  return name;
}

const capabilitySchema = z.string().refine(isCapability, {
  error: (issue) =>
    `unknown capability "${String(issue.input)}"; valid capabilities are: ${CAPABILITIES.join(', ')}`,
});

const instantSchema = z.iso.datetime({
  offset: true,
  error: 'must be an ISO-8601 date-time with a zone, e.g. "2026-12-31T23:59:59Z"',
});

const ruleSchema = z
  .strictObject({
    path: z.string().superRefine((p, ctx) => {
      const problem = globProblem(p);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    capabilities: z.array(capabilitySchema).min(1, 'list at least one capability, e.g. ["read", "list"]'),
    notBefore: instantSchema.optional(),
    expiresAt: instantSchema.optional(),
    /** Using what this rule grants needs this many approvals (two-person rule), each from another identity. */
    approvals: z.int().min(1).max(10, 'approvals is 1 to 10').optional(),
  })
  .superRefine((rule, ctx) => {
    if (rule.capabilities.includes('deny') && rule.capabilities.length > 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['capabilities'],
        message: '"deny" refuses every capability on the path, so it must be the only capability in its rule',
      });
    }
    if (rule.approvals !== undefined && rule.capabilities.some((c) => c === 'deny' || c === 'approve')) {
      ctx.addIssue({
        code: 'custom',
        path: ['approvals'],
        message:
          'approvals apply to what a rule grants, so a rule with "deny" or "approve" cannot require them',
      });
    }
    if (rule.notBefore && rule.expiresAt && Date.parse(rule.notBefore) >= Date.parse(rule.expiresAt)) {
      ctx.addIssue({
        code: 'custom',
        path: ['expiresAt'],
        message: `expiresAt (${rule.expiresAt}) must be later than notBefore (${rule.notBefore})`,
      });
    }
  });

/** zod schema of a policy document (strict: unknown keys are errors). */
export const policyDocumentSchema = z.strictObject({
  name: z.string().regex(POLICY_NAME, POLICY_NAME_RULE),
  description: z.string().max(1024).optional(),
  rules: z.array(ruleSchema).max(1000, 'a policy holds at most 1000 rules; split it into several policies'),
});

/** A validated policy document, as written by an operator. */
export type PolicyDocument = z.infer<typeof policyDocumentSchema>;
/** One rule of a policy document. */
export type PolicyRule = PolicyDocument['rules'][number];

/**
 * Validate an untrusted policy document. Throws HUSH_E_INVALID_INPUT with a one-line message naming the first
 * problem and where it is (e.g. `rules[2].capabilities[0]: unknown capability "raed"; valid capabilities are: ...`).
 */
export function parsePolicyDocument(input: unknown): PolicyDocument {
  const result = policyDocumentSchema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue ? formatIssuePath(issue.path) : '';
  const name =
    typeof input === 'object' && input !== null && typeof (input as { name?: unknown }).name === 'string'
      ? ` "${(input as { name: string }).name}"`
      : '';
  throw hushError('POLICY_DOCUMENT_INVALID', {
    name,
    value: where ? `${where}: ` : '',
    value2: issue?.message ?? 'unknown problem',
  });
}

function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out;
}
