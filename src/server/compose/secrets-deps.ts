import type { ServerConfig } from '../../config/server-config-schema.js';
import { callerToken, type Identity } from '../../identity/index.js';
import type { RotationService } from '../../rotation/index.js';
import type { HushStore } from '../../store/index.js';
import { IDENTITY_SUBKEYS, openSealedSubkeys } from '../../store/sealed-view/index.js';
import { createListCursors } from '../routes/secrets/list-cursor.js';
import type { SecretsRouteDeps } from '../routes/secrets/secrets-deps.js';
import type { Caller } from '../server-deps.js';
import { serverRotateRoot } from './server-rotate-root.js';

/** The compiled policies of a caller's token (none for a caller without one). */
export function callerPoliciesOf(identity: Identity) {
  return async (caller: Caller) => {
    const token = callerToken(caller);
    return token ? identity.services.policies.compile(token.policies) : [];
  };
}

/**
 * The secrets routes' deps: the store, rotate-root under the configured seal kind (server-rotate-root.ts), list cursors
 * sealed under a key every node derives alike from the identity keyring (not a per-process key: a cursor from one
 * node must continue on another behind a load balancer), and moves followed by rotation policies.
 */
export function secretsDeps(
  config: ServerConfig,
  store: HushStore,
  identity: Identity,
  rotation: Pick<RotationService, 'followMove'>,
): SecretsRouteDeps {
  const cursorKeys = openSealedSubkeys(store.barrier, {
    keyring: IDENTITY_SUBKEYS.keyring,
    info: { lookup: 'hush list-cursor unused v1', record: 'hush list-cursor aead v1' },
  });
  return {
    store,
    rotateRoot: serverRotateRoot(store, config.seal),
    callerPolicies: { policiesFor: callerPoliciesOf(identity) },
    listCursors: createListCursors(async () => (await cursorKeys.subkeys()).record),
    limits: { maxValueBytes: config.limits.maxValueBytes },
    onSecretMoved: rotation.followMove,
  };
}
