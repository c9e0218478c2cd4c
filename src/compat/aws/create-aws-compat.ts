import type { CompiledPolicy } from '../../core/policy/index.js';
import type { IdentityServices } from '../../identity/index.js';
import type { Caller } from '../../ports/auth-port.js';
import { openSealedView, type ViewBackend, type ViewBarrier } from '../../store/sealed-view/index.js';
import type { Transit } from '../../transit/index.js';
import { type AccessKeys, AWS_VIEW, createAccessKeys } from './access-keys.js';
import { createAwsAuthenticator } from './aws-authenticate.js';
import type { AwsOperationTable } from './aws-call.js';
import { kmsOperations } from './kms/kms.js';
import { secretsManagerOperations } from './secrets-manager/secrets-manager.js';
import type { SecretsManagerDeps } from './secrets-manager/secrets-manager-deps.js';

/** One AWS service as served: its SigV4 signing name and its operations. */
export interface AwsService {
  readonly signingName: string;
  readonly operations: AwsOperationTable;
}

/** The AWS-compatible layer: access keys, SigV4 authentication and the services by `X-Amz-Target` prefix. */
export interface AwsCompat {
  readonly keys: AccessKeys;
  readonly authenticate: ReturnType<typeof createAwsAuthenticator>;
  /** `secretsmanager` (Secrets Manager) and `TrentService` (KMS). */
  readonly services: Readonly<Record<string, AwsService>>;
}

/**
 * Compose the AWS layer over the store, identity and transit: every call becomes calls on those services.
 *
 * @example
 * const aws = createAwsCompat({ store, identity: identity.services, transit, policiesFor });
 */
export function createAwsCompat(deps: {
  readonly store: SecretsManagerDeps['store'] & {
    readonly readBackend: ViewBackend;
    readonly barrier: ViewBarrier;
  };
  readonly identity: Pick<IdentityServices, 'tokens' | 'clock' | 'auth'>;
  readonly transit: Transit;
  readonly policiesFor: (caller: Caller) => Promise<readonly CompiledPolicy[]>;
}): AwsCompat {
  const clock = deps.identity.clock;
  const keys = createAccessKeys({
    records: openSealedView(deps.store.readBackend, deps.store.barrier, AWS_VIEW),
    identity: deps.identity,
  });
  return {
    keys,
    authenticate: createAwsAuthenticator({ keys, auth: deps.identity.auth, clock }),
    services: {
      secretsmanager: {
        signingName: 'secretsmanager',
        operations: secretsManagerOperations({ store: deps.store, policiesFor: deps.policiesFor, clock }),
      },
      TrentService: { signingName: 'kms', operations: kmsOperations({ transit: deps.transit }) },
    },
  };
}
