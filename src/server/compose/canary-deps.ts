import type { Alerting } from '../../alerts/index.js';
import { isHushError } from '../../core/errors/hush-error.js';
import { CANARY_IDENTITY_PREFIX, type Canaries, createCanaries } from '../../incident/canaries.js';
import type { ServerAuth } from '../../ports/index.js';
import type { HushStore } from '../../store/index.js';
import { IDENTITY_SUBKEYS, openSealedView } from '../../store/sealed-view/index.js';

/**
 * Canaries as the server runs them: records sealed beside identity's, decoys written through the store; what they
 * watch is forgotten with the view's plaintext when the barrier closes.
 */
export function composeCanaries(store: HushStore, alerting: Pick<Alerting, 'raise'>): Canaries {
  // The identity keyring: a canary token's lookup id is the HMAC the token service would look it up by.
  const records = openSealedView(store.readBackend, store.barrier, {
    ...IDENTITY_SUBKEYS,
    name: 'canaries',
    prefixes: ['canary/'],
    cacheSize: 0,
  });
  const canaries = createCanaries({
    records,
    secrets: {
      putNew: async (path, value) => {
        try {
          await store.put(path, value, { actor: 'hush:canary', cas: 0 });
          return true;
        } catch (err) {
          if (isHushError(err, 'HUSH_E_CAS_CONFLICT')) return false;
          throw err;
        }
      },
      destroy: (path) => store.destroy(path, { actor: 'hush:canary' }),
    },
    alert: (input) => alerting.raise(input),
  });
  records.onWipe(() => canaries.forget());
  return canaries;
}

/**
 * `auth` that recognises canary tokens among refused ones: the refusal stays the one any unknown token gets, and
 * only its audit record names the canary (`canary:<name>`), which the canary subscriber turns into an alert.
 */
export function canaryAwareAuth(auth: ServerAuth, canaries: Pick<Canaries, 'tokenCanary'>): ServerAuth {
  const marked = async (err: unknown, presented: string | undefined): Promise<never> => {
    if (presented && isHushError(err, 'HUSH_E_UNAUTHENTICATED') && !err.auditSubject) {
      const name = await canaries.tokenCanary(presented).catch(() => undefined);
      // The same error (status, code, message): only its audit subject, which never reaches the reply, changes.
      if (name !== undefined)
        err.auditSubject = { identity: `${CANARY_IDENTITY_PREFIX}${name}`, tokenAccessor: `canary-${name}` };
    }
    throw err;
  };
  return {
    authenticate(presented) {
      let started: ReturnType<ServerAuth['authenticate']>;
      try {
        started = auth.authenticate(presented);
      } catch (err) {
        return marked(err, presented);
      }
      return started instanceof Promise ? started.catch((err: unknown) => marked(err, presented)) : started;
    },
    authorize: (caller, path, capability) => auth.authorize(caller, path, capability),
  };
}
