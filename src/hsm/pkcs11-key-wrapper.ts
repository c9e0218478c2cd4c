import type { Handle } from 'pkcs11js';
import { encodeAad } from '../core/crypto/aad.js';
import { isHushError } from '../core/errors/hush-error.js';
import { hushError } from '../core/errors/index.js';
import { decodeHsmBlob, encodeHsmBlob, WRAP_MECHANISMS, type WrapMechanism } from './pkcs11-blob.js';
import { isSessionLost, openKeySession } from './pkcs11-key-session.js';
import { acquireLibrary, type LoadedLibrary, type Pkcs11Api } from './pkcs11-library.js';
import { hsmDecrypt, hsmEncrypt, type KeySession, mechanismConstant } from './pkcs11-mechanisms.js';
import { closeUserSession } from './pkcs11-token.js';

/** Where SoftHSM2's library lives on Debian/Ubuntu (apt-get install softhsm2). */
export const DEFAULT_PKCS11_LIBRARY = '/usr/lib/softhsm/libsofthsm2.so';

/** The purpose bound into blobs when the caller names none. */
export const DEFAULT_WRAP_PURPOSE = 'hush-hsm-wrap';

/** Which HSM key to use and how to log in. */
export interface OpenPkcs11Options {
  /** Path of the PKCS#11 library (default {@link DEFAULT_PKCS11_LIBRARY}). */
  readonly library?: string;
  readonly tokenLabel: string;
  /** CKA_LABEL of the AES key inside the token. */
  readonly keyLabel: string;
  /** The user PIN: tried exactly once. */
  readonly pin: string;
  /** Force a mechanism for new blobs (default: AES-GCM when the token offers it, else AES key wrap with padding). */
  readonly mechanism?: WrapMechanism;
}

/** Test seam: wrap the real library's API (e.g. to count C_Login calls); the calls still reach the HSM. */
export interface OpenPkcs11Deps {
  readonly instrument?: (api: Pkcs11Api) => Pkcs11Api;
}

/** An open, logged-in session bound to one AES key that never leaves the HSM. */
export interface Pkcs11KeyWrapper {
  readonly tokenLabel: string;
  readonly keyLabel: string;
  /** The mechanism `wrap` uses. */
  readonly mechanism: WrapMechanism;
  /** Encrypt `plaintext` inside the HSM, bound to `purpose`; returns a self-describing blob. */
  wrap(plaintext: Uint8Array, purpose?: string): Promise<Buffer>;
  /** Open a blob from {@link wrap} with the same `purpose`; tamper, wrong key or purpose is HUSH_E_INTEGRITY. */
  unwrap(blob: Uint8Array, purpose?: string): Promise<Buffer>;
  /** Log out, close the session and finalise the library (when no other opener uses it). Idempotent. */
  close(): Promise<void>;
}

/**
 * Log in to the token labelled `tokenLabel` and bind to its AES key `keyLabel`. A missing token or key is
 * HUSH_E_CONFIG naming it; a rejected PIN is HUSH_E_UNSEAL_FAILED and is never retried.
 *
 * @example
 * const hsm = await openPkcs11({ tokenLabel: 'hush', keyLabel: 'hush-root', pin });
 * try { const blob = await hsm.wrap(key, 'keyring:app/prod'); } finally { await hsm.close(); }
 */
export async function openPkcs11(
  options: OpenPkcs11Options,
  deps: OpenPkcs11Deps = {},
): Promise<Pkcs11KeyWrapper> {
  if (options.pin.length === 0) {
    throw hushError('NO_PIN_PKCS_TOKEN', { tokenLabel: options.tokenLabel });
  }
  const lib = await acquireLibrary(options.library ?? DEFAULT_PKCS11_LIBRARY, deps.instrument);
  try {
    const opened = openKeySession(lib, options);
    try {
      const mechanism = options.mechanism ?? pickMechanism(opened.ks, opened.slot, options);
      return keyWrapper(lib, opened.ks, options, mechanism);
    } catch (err) {
      closeUserSession(lib, opened.ks.session);
      throw err;
    }
  } catch (err) {
    // closeUserSession released the library already when a session was open; release() is idempotent.
    lib.release();
    throw err;
  }
}

function pickMechanism(ks: KeySession, slot: Handle, options: OpenPkcs11Options): WrapMechanism {
  const offered = new Set(ks.api.C_GetMechanismList(slot));
  const usable = WRAP_MECHANISMS.find((m) => offered.has(mechanismConstant(ks, m)));
  if (!usable) {
    throw hushError('PKCS_TOKEN_OFFERS_NEITHER_CKM', { tokenLabel: options.tokenLabel });
  }
  return usable;
}

/**
 * The wrapper over one session. A wrapper may live as long as the server, so a lost session (the HSM restarted) is
 * reopened once per call, logging in again with the PIN that worked. If that login is rejected (the PIN changed),
 * the wrapper stops logging in for good and every later call fails with the same error: a loop of logins with a
 * stale PIN would lock the token.
 */
function keyWrapper(
  lib: LoadedLibrary,
  first: KeySession,
  options: OpenPkcs11Options,
  mechanism: WrapMechanism,
): Pkcs11KeyWrapper {
  let ks: KeySession | undefined = first;
  let closed = false;
  let refused: unknown;
  const reopen = (): KeySession => {
    if (refused !== undefined) throw refused;
    const stale = ks;
    if (stale) ignore(() => lib.api.C_CloseSession(stale.session));
    ks = undefined;
    try {
      ks = openKeySession(lib, options).ks;
      return ks;
    } catch (err) {
      if (isHushError(err, 'HUSH_E_UNSEAL_FAILED')) refused = err;
      throw err;
    }
  };
  const run = <T>(fn: (session: KeySession) => T): T => {
    if (closed) throw new Error('the PKCS#11 key wrapper is closed');
    const current = ks ?? reopen();
    try {
      return fn(current);
    } catch (err) {
      if (!isSessionLost(lib.js, err)) throw err;
      return fn(reopen());
    }
  };
  const aadFor = (purpose: string, m: WrapMechanism) =>
    encodeAad({ purpose, blob: 'hsm-v1', mechanism: m, key: options.keyLabel });
  return {
    tokenLabel: options.tokenLabel,
    keyLabel: options.keyLabel,
    mechanism,
    async wrap(plaintext, purpose = DEFAULT_WRAP_PURPOSE) {
      if (plaintext.length === 0 || plaintext.length > 4096) {
        throw new RangeError(`plaintext must be 1..4096 bytes, got ${plaintext.length}`);
      }
      const aad = aadFor(purpose, mechanism);
      return encodeHsmBlob(run((session) => hsmEncrypt(session, mechanism, plaintext, aad)));
    },
    async unwrap(bytes, purpose = DEFAULT_WRAP_PURPOSE) {
      const blob = decodeHsmBlob(bytes);
      const aad = aadFor(purpose, blob.mechanism);
      return run((session) => hsmDecrypt(session, blob, aad));
    },
    async close() {
      if (closed) return;
      closed = true;
      closeUserSession(lib, ks?.session);
    },
  };
}

function ignore(fn: () => void): void {
  try {
    fn();
  } catch {
    // The old session is already gone; closing it is only tidying up.
  }
}
