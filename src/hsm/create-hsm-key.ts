import type { Handle } from 'pkcs11js';
import { hushError } from '../core/errors/index.js';
import { DEFAULT_PKCS11_LIBRARY, type OpenPkcs11Deps } from './pkcs11-key-wrapper.js';
import { acquireLibrary, firstLine } from './pkcs11-library.js';
import { closeUserSession, findSecretKey, findTokenSlot, openUserSession } from './pkcs11-token.js';

/** Which token to create the key in, its label, and the user PIN. */
export interface CreateHsmKeyOptions {
  readonly library?: string;
  readonly tokenLabel: string;
  readonly keyLabel: string;
  readonly pin: string;
}

/** What was created (no key material: the key never leaves the token). */
export interface CreatedHsmKey {
  readonly tokenLabel: string;
  readonly keyLabel: string;
  readonly bits: 256;
}

/**
 * Generate a 256-bit AES key inside the token: persistent (CKA_TOKEN), sensitive and non-extractable, so its value
 * can never be read out. Refuses (HUSH_E_ALREADY_EXISTS) when a secret key with that label exists.
 *
 * @example
 * await createHsmKey({ tokenLabel: 'hush', keyLabel: 'hush-root', pin });
 */
export async function createHsmKey(
  options: CreateHsmKeyOptions,
  deps: OpenPkcs11Deps = {},
): Promise<CreatedHsmKey> {
  if (options.keyLabel.length === 0) throw hushError('KEY_LABEL_MUST_NOT_EMPTY');
  const lib = await acquireLibrary(options.library ?? DEFAULT_PKCS11_LIBRARY, deps.instrument);
  let session: Handle | undefined;
  try {
    const slot = findTokenSlot(lib, options.tokenLabel);
    session = openUserSession(lib, slot, options.tokenLabel, options.pin);
    if (findSecretKey(lib, session, options.keyLabel) !== undefined) {
      throw hushError('SECRET_KEY_LABELLED_ALREADY_EXISTS', {
        keyLabel: options.keyLabel,
        tokenLabel: options.tokenLabel,
      });
    }
    try {
      const { js, api } = lib;
      api.C_GenerateKey(session, { mechanism: js.CKM_AES_KEY_GEN }, [
        { type: js.CKA_CLASS, value: js.CKO_SECRET_KEY },
        { type: js.CKA_KEY_TYPE, value: js.CKK_AES },
        { type: js.CKA_VALUE_LEN, value: 32 },
        { type: js.CKA_LABEL, value: options.keyLabel },
        { type: js.CKA_TOKEN, value: true },
        { type: js.CKA_PRIVATE, value: true },
        { type: js.CKA_SENSITIVE, value: true },
        { type: js.CKA_EXTRACTABLE, value: false },
        { type: js.CKA_ENCRYPT, value: true },
        { type: js.CKA_DECRYPT, value: true },
        { type: js.CKA_WRAP, value: true },
        { type: js.CKA_UNWRAP, value: true },
      ]);
    } catch (err) {
      throw hushError('TOKEN_REFUSED_GENERATE_BIT_AES', {
        tokenLabel: options.tokenLabel,
        err: firstLine(err),
      });
    }
    return { tokenLabel: options.tokenLabel, keyLabel: options.keyLabel, bits: 256 };
  } finally {
    closeUserSession(lib, session);
  }
}
