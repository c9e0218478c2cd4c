import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import type { AuditEventInput } from '../../audit/audit-log.js';
import { HushError } from '../../core/errors/hush-error.js';
import type { HushStore } from '../../store/index.js';
import type { CliStore } from './open-local-store.js';

/** The operation each store method is recorded as: the same names the server's routes use. */
const OPERATIONS = {
  get: 'secrets.read',
  versions: 'secrets.metadata.read',
  list: 'secrets.list',
  exportSecrets: 'secrets.export',
  keysStatus: 'keys.status',
  put: 'secrets.write',
  updateMetadata: 'secrets.metadata.update',
  delete: 'secrets.delete',
  undelete: 'secrets.undelete',
  destroy: 'secrets.destroy',
  rollback: 'secrets.rollback',
  move: 'secrets.move',
  importSecrets: 'secrets.import',
  rotateKek: 'keys.rotate',
  rewrap: 'keys.rewrap',
  rotateRoot: 'sys.rotate-root',
  importWrappingKey: 'keys.import-wrapping-key',
  importKey: 'keys.import',
  revokeImported: 'keys.revoke-imported',
  setKeyringProtector: 'keys.protector',
} as const;

/** Methods that only read: recorded once, after they ran. The others also get a `requested` record before. */
const READS = new Set(['get', 'versions', 'list', 'exportSecrets', 'keysStatus']);

/** `local:<os user>`: who local use is recorded as (the uid when the user has no name). */
export function localIdentity(): string {
  try {
    return `local:${userInfo().username}`;
  } catch {
    return `local:uid-${process.getuid?.() ?? 'unknown'}`;
  }
}

/**
 * Wrap a local store so every secrets and keys operation is on the local audit trail, as on the server: a write
 * gets a `requested` record before it runs, and every operation an outcome record (allowed, or error with its
 * code) written durably before its result is returned, so before any value reaches the terminal. A record that
 * cannot be written fails the command (HUSH_E_AUDIT_UNAVAILABLE) and, for a write, nothing is changed.
 */
export function auditedStore(
  store: CliStore & Partial<HushStore>,
  append: (event: AuditEventInput) => Promise<{ readonly seq: number }>,
): CliStore {
  const identity = localIdentity();
  const wrapped: Record<string, unknown> = {};
  for (const [method, operation] of Object.entries(OPERATIONS)) {
    const original = (store as unknown as Record<string, unknown>)[method];
    if (typeof original !== 'function') continue;
    wrapped[method] = async (...args: unknown[]) => {
      const requestId = randomUUID();
      const base = {
        requestId,
        operation,
        identity,
        authMethod: 'local',
        sourceAddress: 'local',
        ...pathOf(method, args),
      };
      // A write's outcome names its `requested` record, as the server's do (verify and search pair them).
      const requested = READS.has(method) ? undefined : await append({ ...base, outcome: 'requested' });
      const outcomeOf = (
        extra: Pick<AuditEventInput, 'outcome'> & { errorCode?: string },
      ): AuditEventInput => ({
        ...base,
        ...(requested ? { details: { ...base.details, requestSeq: requested.seq } } : {}),
        ...extra,
      });
      try {
        const result = await (original as (...a: unknown[]) => Promise<unknown>).apply(store, args);
        await append(outcomeOf({ outcome: 'allowed' }));
        return result;
      } catch (err) {
        if (err instanceof HushError && err.code === 'HUSH_E_AUDIT_UNAVAILABLE') throw err;
        const code = err instanceof HushError ? err.code : 'HUSH_E_INTERNAL';
        await append(
          outcomeOf({ outcome: code === 'HUSH_E_FORBIDDEN' ? 'denied' : 'error', errorCode: code }),
        );
        throw err;
      }
    };
  }
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && Object.hasOwn(wrapped, prop)) return wrapped[prop];
      return Reflect.get(target, prop, receiver);
    },
  });
}

/** The path a call names (its first string argument; a move also names its destination). */
function pathOf(method: string, args: readonly unknown[]): { path?: string; details?: { to: string } } {
  const first = args[0];
  if (typeof first !== 'string') return {};
  if (method === 'move' && typeof args[1] === 'string') return { path: first, details: { to: args[1] } };
  return { path: first };
}
