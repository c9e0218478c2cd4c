import { hushError } from '../errors/index.js';

/** Every transit key type, named as Vault's transit engine names them. */
export const TRANSIT_KEY_TYPES = [
  'aes256-gcm96',
  'chacha20-poly1305',
  'ed25519',
  'ecdsa-p256',
  'ecdsa-p384',
  'rsa-2048',
  'rsa-3072',
  'rsa-4096',
  'hmac',
] as const;

/** One transit key type, e.g. `aes256-gcm96`. */
export type TransitKeyType = (typeof TRANSIT_KEY_TYPES)[number];

/** What a transit operation needs of a key type. */
export type TransitUse = 'encrypt' | 'sign' | 'hmac' | 'derive';

const USES: Record<TransitKeyType, readonly TransitUse[]> = {
  'aes256-gcm96': ['encrypt', 'hmac', 'derive'],
  'chacha20-poly1305': ['encrypt', 'hmac', 'derive'],
  ed25519: ['sign'],
  'ecdsa-p256': ['sign'],
  'ecdsa-p384': ['sign'],
  'rsa-2048': ['encrypt', 'sign'],
  'rsa-3072': ['encrypt', 'sign'],
  'rsa-4096': ['encrypt', 'sign'],
  hmac: ['hmac'],
};

/** True for the key types that have a public half (exported as PEM and JWK). */
export function isAsymmetric(type: TransitKeyType): boolean {
  return USES[type].includes('sign');
}

/** True for RSA key types. */
export function isRsa(type: TransitKeyType): type is 'rsa-2048' | 'rsa-3072' | 'rsa-4096' {
  return type.startsWith('rsa-');
}

/** Throw HUSH_E_INVALID_INPUT unless `text` names a key type. */
export function parseKeyType(text: string): TransitKeyType {
  if ((TRANSIT_KEY_TYPES as readonly string[]).includes(text)) return text as TransitKeyType;
  throw hushError('TRANSIT_KEY_TYPE_UNKNOWN', {
    text: text.slice(0, 30),
    transitKeyTypes: TRANSIT_KEY_TYPES.join(', '),
  });
}

/** Throw HUSH_E_TRANSIT_KEY_TYPE unless keys of `type` support `use` (`name` is the key, for the message). */
export function requireUse(type: TransitKeyType, use: TransitUse, name: string): void {
  if (USES[type].includes(use)) return;
  const able = TRANSIT_KEY_TYPES.filter((t) => USES[t].includes(use));
  throw hushError(
    'TRANSIT_KEY_WHICH_CANNOT_KEYS',
    { name, type, value: use === 'derive' ? 'be derived' : use, able: able.join(', ') },
    { type, operation: use },
  );
}
