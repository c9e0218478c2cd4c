import { ApiError } from '../../api';

/** An error as one line for an inline field error: the coded message, then the hint. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) return `${err.code}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}

/** A rule named in a reply (explain, who-can, simulate). */
export interface RuleRef {
  policy: string;
  index: number;
  path: string;
  capabilities: string[];
}

/** `rule 2 of "app" (path "payments/**")`, or a dash. */
export function ruleText(rule: RuleRef | undefined): string {
  return rule ? `rule ${rule.index} of "${rule.policy}" (path "${rule.path}")` : '—';
}

/** The capabilities a request can ask for (as the server's policy catalogue lists them). */
export const CAPABILITIES = [
  'read',
  'list',
  'create',
  'update',
  'delete',
  'destroy',
  'rotate',
  'encrypt',
  'decrypt',
  'sign',
  'verify',
  'approve',
  'admin',
];
