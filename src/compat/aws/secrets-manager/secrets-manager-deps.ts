import type { CompiledPolicy } from '../../../core/policy/index.js';
import type { Caller } from '../../../ports/auth-port.js';
import type { StoreApi } from '../../../store/index.js';

/** What the Secrets Manager translation calls: the store's secrets API (as the native routes do) and policies. */
export interface SecretsManagerDeps {
  readonly store: Pick<
    StoreApi,
    'get' | 'put' | 'versions' | 'updateMetadata' | 'list' | 'delete' | 'undelete' | 'destroy'
  >;
  /** The caller's compiled policies, to list only what it may read (as `GET /v1/list` does). */
  readonly policiesFor: (caller: Caller) => Promise<readonly CompiledPolicy[]>;
  readonly clock: () => Date;
}
