import type { Handle } from 'pkcs11js';
import { hushError } from '../core/errors/index.js';
import type { LoadedLibrary, Pkcs11Js } from './pkcs11-library.js';
import type { KeySession } from './pkcs11-mechanisms.js';
import { createKeyHint, findSecretKey, findTokenSlot, openUserSession } from './pkcs11-token.js';

/** Which token and key to bind to, with the PIN for the one login. */
export interface KeySessionTarget {
  readonly tokenLabel: string;
  readonly keyLabel: string;
  readonly pin: string;
}

/** A logged-in session bound to the key, and the slot it lives in. */
export interface OpenedKeySession {
  readonly ks: KeySession;
  readonly slot: Handle;
}

/**
 * Find the token, log in (once) and find the key. On failure the half-open session is closed and the error (which
 * names the missing token/key, or says the PIN was rejected) is thrown; the library stays acquired.
 */
export function openKeySession(lib: LoadedLibrary, target: KeySessionTarget): OpenedKeySession {
  const slot = findTokenSlot(lib, target.tokenLabel);
  const session = openUserSession(lib, slot, target.tokenLabel, target.pin);
  try {
    const key = findSecretKey(lib, session, target.keyLabel);
    if (key === undefined) {
      throw hushError('NO_SECRET_KEY_LABELLED_PKCS', {
        keyLabel: target.keyLabel,
        tokenLabel: target.tokenLabel,
        tokenLabel2: createKeyHint(target.tokenLabel, target.keyLabel),
      });
    }
    return { ks: { js: lib.js, api: lib.api, session, key }, slot };
  } catch (err) {
    try {
      lib.api.C_CloseSession(session);
    } catch {
      // Best effort: the error above is the one to report.
    }
    throw err;
  }
}

/** True when a PKCS#11 call failed because the session (not the data) is gone: the token restarted or was removed. */
export function isSessionLost(js: Pkcs11Js, err: unknown): boolean {
  if (!(err instanceof js.Pkcs11Error)) return false;
  return [
    js.CKR_SESSION_HANDLE_INVALID,
    js.CKR_SESSION_CLOSED,
    js.CKR_DEVICE_REMOVED,
    js.CKR_TOKEN_NOT_PRESENT,
    js.CKR_USER_NOT_LOGGED_IN,
    js.CKR_OBJECT_HANDLE_INVALID,
    js.CKR_KEY_HANDLE_INVALID,
  ].includes(err.code);
}
