import type { PKCS11 } from 'pkcs11js';
import { hushError } from '../core/errors/index.js';

/** The pkcs11js module (constants plus the PKCS11 class), loaded on first use. */
export type Pkcs11Js = typeof import('pkcs11js');

/** The PKCS#11 calls Hush makes; a narrow view of pkcs11js's `PKCS11` (tests wrap it to count calls). */
export type Pkcs11Api = Pick<
  PKCS11,
  | 'C_GetSlotList'
  | 'C_GetTokenInfo'
  | 'C_GetMechanismList'
  | 'C_OpenSession'
  | 'C_CloseSession'
  | 'C_Login'
  | 'C_Logout'
  | 'C_FindObjectsInit'
  | 'C_FindObjects'
  | 'C_FindObjectsFinal'
  | 'C_GetAttributeValue'
  | 'C_GenerateKey'
  | 'C_GenerateKeyPair'
  | 'C_SignInit'
  | 'C_Sign'
  | 'C_CreateObject'
  | 'C_DestroyObject'
  | 'C_EncryptInit'
  | 'C_Encrypt'
  | 'C_DecryptInit'
  | 'C_Decrypt'
  | 'C_WrapKey'
  | 'C_UnwrapKey'
>;

/** A loaded, initialised PKCS#11 library; `release()` finalises it once the last user lets go. */
export interface LoadedLibrary {
  readonly js: Pkcs11Js;
  readonly api: Pkcs11Api;
  /** True while another opener in this process uses the same library (its login is shared with ours). */
  shared(): boolean;
  release(): void;
}

interface Entry {
  readonly module: PKCS11;
  users: number;
}

// A PKCS#11 library is process-global state: C_Initialize twice fails and C_Finalize ends every session of the
// process. So each library path is initialised once and finalised when its last user closes.
const loaded = new Map<string, Entry>();

/** Load pkcs11js lazily (a native module: commands that never touch an HSM should not pay for it). */
export async function loadPkcs11Js(): Promise<Pkcs11Js> {
  try {
    const mod = await import('pkcs11js');
    return (mod as { default?: Pkcs11Js }).default ?? mod;
  } catch (err) {
    throw hushError('PKCS11JS_NATIVE_MODULE_CANNOT_LOADED', { split: (err as Error).message.split('\n')[0] });
  }
}

/**
 * Open (or share) the PKCS#11 library at `library` and initialise it. `instrument` wraps the API handed out (tests
 * count logins through it; the calls still reach the real library).
 */
export async function acquireLibrary(
  library: string,
  instrument: (api: Pkcs11Api) => Pkcs11Api = (api) => api,
): Promise<LoadedLibrary> {
  const js = await loadPkcs11Js();
  let entry = loaded.get(library);
  if (!entry) {
    const module = new js.PKCS11();
    try {
      module.load(library);
    } catch (err) {
      throw hushError('CANNOT_LOAD_PKCS_LIBRARY', { library, err: firstLine(err) });
    }
    try {
      module.C_Initialize();
    } catch (err) {
      // Another component of this process initialised the same library already: share it.
      if (!(err instanceof js.Pkcs11Error && err.code === js.CKR_CRYPTOKI_ALREADY_INITIALIZED)) {
        module.close();
        throw hushError('PKCS_LIBRARY_FAILED_INITIALISE', { library, err: firstLine(err) });
      }
    }
    entry = { module, users: 0 };
    loaded.set(library, entry);
  }
  entry.users += 1;
  const held = entry;
  let released = false;
  return {
    js,
    api: instrument(held.module),
    shared: () => held.users > 1,
    release() {
      if (released) return;
      released = true;
      held.users -= 1;
      if (held.users > 0) return;
      loaded.delete(library);
      try {
        held.module.C_Finalize();
      } finally {
        held.module.close();
      }
    },
  };
}

/** The first line of an error's message (native errors can be long), never its stack. */
export function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? 'error';
}
