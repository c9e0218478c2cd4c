import type { RequestedCapability } from '../core/policy/capabilities.js';

/** Command hooks run on the server as the server's user: setting one needs `admin` here as well. */
export const COMMAND_HOOK_PATH = 'sys/rotation/hooks';

/** A capability the caller must hold on a path. */
export interface RequiredGrant {
  readonly path: string;
  readonly capability: RequestedCapability;
}

/**
 * What writing a rotation policy asks of its author, in check order: `rotate` on its target (the path, or the
 * prefix without its trailing slash), `admin` on {@link COMMAND_HOOK_PATH} when the policy runs a command hook, and
 * `read` on the connection secret it names (the rotator logs in with it, so only someone who may read it can point a
 * policy at it). `target` is what the write acts on, for the audit record. The body is not yet validated (the
 * service does that): fields of the wrong type ask for nothing here and fail there.
 *
 * @example
 * policyWriteGrants({ path: 'app/prod/db', connection: 'app/prod/admin' });
 * // { target: 'app/prod/db', grants: [{ path: 'app/prod/db', capability: 'rotate' }, { path: 'app/prod/admin', capability: 'read' }] }
 */
export function policyWriteGrants(body: Record<string, unknown>): {
  readonly target?: string;
  readonly grants: readonly RequiredGrant[];
} {
  const grants: RequiredGrant[] = [];
  const target = typeof body['path'] === 'string' ? body['path'] : body['prefix'];
  if (typeof target === 'string') grants.push({ path: target.replace(/\/$/, ''), capability: 'rotate' });
  const hook = body['hook'] as { command?: unknown } | undefined;
  if (hook && typeof hook === 'object' && 'command' in hook)
    grants.push({ path: COMMAND_HOOK_PATH, capability: 'admin' });
  if (typeof body['connection'] === 'string') grants.push({ path: body['connection'], capability: 'read' });
  return typeof target === 'string' ? { target, grants } : { grants };
}
