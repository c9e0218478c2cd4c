import type { HsmKeyConfig, HsmTokenConfig } from '../../config/server-config-schema.js';
import type { KeyWrapper } from '../../core/crypto/key-wrapper.js';
import { hushError } from '../../core/errors/index.js';
import type { HsmSigner } from '../../ports/hsm-signer-port.js';
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
      const pin = await pinOf(k, env);
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

async function pinOf(k: HsmTokenConfig, env: NodeJS.ProcessEnv): Promise<string> {
  const pin = await readPkcs11Pin({ pinFile: k.pinFile, env });
  if (pin === undefined) {
    throw hushError('KEYS_HSM_TOKEN_NEEDS_PIN', { id: k.id, tokenLabel: k.tokenLabel, pinEnv: PIN_ENV });
  }
  return pin;
}

/**
 * Log in to each token HSM-held signing keys live in (`keys.hsmTokens`), once at start-up. Undefined when none is
 * configured, so servers without one never load the native module.
 */
export async function openHsmSigner(
  tokens: readonly HsmTokenConfig[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<HsmSigner | undefined> {
  if (tokens.length === 0) return undefined;
  const { openPkcs11Signer } = await import('../../hsm/index.js');
  const options = [];
  for (const t of tokens) options.push({ ...t, pin: await pinOf(t, env) });
  return openPkcs11Signer(options);
}
