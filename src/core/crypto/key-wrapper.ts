import { createHash } from 'node:crypto';
import { openAead, sealAead } from './aead.js';

/**
 * Something that can wrap and unwrap a short key (a 32-byte keyring data key): an HSM key through PKCS#11, a cloud
 * KMS key, or an imported customer key held in memory. The store never sees the wrapping key itself.
 *
 * @example
 * const hsm: KeyWrapper = { id: 'prod-hsm', wrap: (k) => pkcs11.wrap(k), unwrap: (b) => pkcs11.unwrap(b) };
 * createStore({ backend, seal, keyWrappers: { [hsm.id]: hsm } });
 */
export interface KeyWrapper {
  /** Stable name recorded in the keyring row (`hsm:<id>`); letters, digits, `.`, `_`, `-` (1-64). */
  readonly id: string;
  /** Wrap (encrypt) `plain`; the result is stored as opaque bytes. */
  wrap(plain: Uint8Array): Promise<Buffer>;
  /** Unwrap bytes made by {@link wrap}; throws if they were not made by this wrapper's key. */
  unwrap(blob: Uint8Array): Promise<Buffer>;
}

/** The protector a sealed keyring row names: the root key, an imported customer key, or an external wrapper. */
export type Protector =
  | { readonly kind: 'root' }
  | { readonly kind: 'imported'; readonly fingerprint: string }
  | { readonly kind: 'hsm'; readonly id: string };

/** Syntax of a wrapper id and of an imported key fingerprint. */
export const WRAPPER_ID = /^[A-Za-z0-9._-]{1,64}$/;
const FINGERPRINT = /^[0-9a-f]{16}$/;

/** The text form recorded in rows and shown by `hush keys status`: `root`, `imported:<fp>`, `hsm:<id>`. */
export function formatProtector(p: Protector): string {
  if (p.kind === 'root') return 'root';
  return p.kind === 'imported' ? `imported:${p.fingerprint}` : `hsm:${p.id}`;
}

/** Parse a protector's text form; undefined when it is not one. */
export function parseProtector(text: string): Protector | undefined {
  if (text === 'root') return { kind: 'root' };
  const [kind, rest = ''] = [text.slice(0, text.indexOf(':')), text.slice(text.indexOf(':') + 1)];
  if (kind === 'imported' && FINGERPRINT.test(rest)) return { kind, fingerprint: rest };
  if (kind === 'hsm' && WRAPPER_ID.test(rest)) return { kind, id: rest };
  return undefined;
}

/** Fingerprint of imported key material: the first 8 bytes of its SHA-256, hex (compare with `openssl dgst -sha256`). */
export function keyFingerprint(key: Uint8Array): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/**
 * A {@link KeyWrapper} over an AES-256 key held in memory (an imported customer key): AES-256-GCM, with the
 * protector and scope bound as AAD so a wrapped key cannot be moved to another keyring.
 */
export function aeadKeyWrapper(id: string, key: Uint8Array, scope: string): KeyWrapper {
  const aad = { purpose: 'keyring-dek', protector: id, scope };
  return {
    id,
    wrap: async (plain) => sealAead(key, plain, aad),
    unwrap: async (blob) => openAead(key, blob, aad, `the data key of keyring ${scope}`),
  };
}
