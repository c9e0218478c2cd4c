import type { FastifyRequest } from 'fastify';
import type { AuditValue } from '../../core/audit/audit-record.js';
import { callerToken } from '../../identity/index.js';
import type { Caller } from '../../ports/auth-port.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The capability checks the guard made for this request, in order (see {@link noteCheck}). */
    authzChecks?: { path: string; capability: string }[];
    /** The authenticated caller of a fixed-path check, noted before it is admitted (a refusal never admits it). */
    authzCaller?: Caller;
  }
}

/** At most this many checks are kept per record (a batch route may check each of its items). */
const MAX_NOTED_CHECKS = 32;

/**
 * Note one capability check the guard makes (before its verdict is known), so the request's audit record can say
 * what the request needed: `hush policy simulate` replays these checks against a draft policy.
 */
export function noteCheck(request: FastifyRequest, path: string, capability: string, caller?: Caller): void {
  if (caller) request.authzCaller = caller;
  request.authzChecks ??= [];
  const checks = request.authzChecks;
  if (checks.length < MAX_NOTED_CHECKS) checks.push({ path, capability });
}

/**
 * The `authz` detail of an audit record: the checks made and the names of the caller token's policies at the time
 * (names only; no token, no policy text). Undefined when the request made no check.
 */
export function authzDetail(request: FastifyRequest): AuditValue | undefined {
  const checks = request.authzChecks;
  if (checks === undefined || checks.length === 0) return undefined;
  // A request refused by the guard's fixed-path check has no admitted caller: its policies still make it replayable.
  const policies = callerToken(request.caller ?? request.authzCaller)?.policies;
  const out: Record<string, AuditValue> = { checks: checks.map((c) => ({ ...c })) };
  if (policies) out['policies'] = [...policies];
  return out;
}
