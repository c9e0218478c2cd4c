import type { HsmKeyConfig } from '../../config/server-config-schema.js';
import type { KeyWrapper } from '../../core/crypto/key-wrapper.js';
import { hushError } from '../../core/errors/index.js';
import { PIN_ENV, readPkcs11Pin } from '../../seal/pkcs11/pkcs11-pin.js';

/** Purpose bound into every keyring blob the HSM wraps, so it can never stand in for the root key's blob. */
const KEYRING_PURPOSE = 'hush-keyring';

/** The opened HSM keys by id, for `createStore({ keyWrappers })`, and how to close them at shutdown. */
export interface HsmKeyWrappers {
  readonly wrappers: Readonly<Record<string, KeyWrapper>>;
  close(): Promise<void>;
}

/**
 * Log in to each configured HSM key once at start-up (one login per key: a wrong PIN fails start-up with one line
 * and is never retried). pkcs11js is imported only when a key is configured, so servers without an HSM never load
 * the native module.
 */
export async function openHsmKeyWrappers(
  keys: readonly HsmKeyConfig[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<HsmKeyWrappers> {
  if (keys.length === 0) return { wrappers: {}, close: async () => {} };
  const { openPkcs11 } = await import('../../hsm/index.js');
  const opened: { id: string; close(): Promise<void>; wrapper: KeyWrapper }[] = [];
  try {
    for (const k of keys) {
      const pin = await readPkcs11Pin({ pinFile: k.pinFile, env });
      if (pin === undefined) {
        throw hushError('KEYS_HSM_TOKEN_NEEDS_PIN', { id: k.id, tokenLabel: k.tokenLabel, pinEnv: PIN_ENV });
      }
      const hsm = await openPkcs11({
        library: k.library,
        tokenLabel: k.tokenLabel,
        keyLabel: k.keyLabel,
        pin,
      });
      opened.push({
        id: k.id,
        close: () => hsm.close(),
        wrapper: {
          id: k.id,
          wrap: (plain) => hsm.wrap(plain, KEYRING_PURPOSE),
          unwrap: (blob) => hsm.unwrap(blob, KEYRING_PURPOSE),
        },
      });
    }
  } catch (err) {
    await Promise.allSettled(opened.map((o) => o.close()));
    throw err;
  }
  return {
    wrappers: Object.fromEntries(opened.map((o) => [o.id, o.wrapper])),
    close: async () => {
      await Promise.allSettled(opened.map((o) => o.close()));
    },
  };
}
