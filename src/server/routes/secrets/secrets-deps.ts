import type { RotateRootReply, RotateRootRequest } from '../../../api/sys-seal.js';
import type { CompiledPolicy } from '../../../core/policy/index.js';
import type { StoreApi } from '../../../store/index.js';
import type { Caller } from '../../server-deps.js';
import type { ListCursors } from './list-cursor.js';

/** The caller's compiled policies, for filtering list results (satisfied by the token/policy service). */
export interface CallerPolicies {
  policiesFor(caller: Caller): Promise<readonly CompiledPolicy[]>;
}

/** The store methods the secrets routes call (one per route). */
export type SecretsStore = StoreApi;

/** Everything {@link secretsRoutes} is built from. */
export interface SecretsRouteDeps {
  readonly store: SecretsStore;
  readonly callerPolicies: CallerPolicies;
  /** Seals list cursors so they reveal nothing (see list-cursor.ts). */
  readonly listCursors: ListCursors;
  /** `limits.maxValueBytes` of the server config: larger values are 413 before the store sees them. */
  readonly limits: { readonly maxValueBytes: number };
  /** Clock for policy time windows (default: system clock). */
  readonly now?: () => Date;
  /** After each secret of a move commits: what keeps state beside the store (rotation) follows it. */
  readonly onSecretMoved?: (from: string, to: string) => Promise<void>;
  /**
   * `POST /v1/sys/rotate-root` under the server's configured seal kind (server-rotate-root.ts); without it the store
   * rotates under its current seal and the request may shape nothing.
   */
  readonly rotateRoot?: (request: RotateRootRequest) => Promise<RotateRootReply>;
}
