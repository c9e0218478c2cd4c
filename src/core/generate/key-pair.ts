import { generateKeyPairSync } from 'node:crypto';
import { hushError } from '../errors/index.js';

/** Key pair algorithms. */
export const KEY_TYPES = ['rsa', 'ec', 'ed25519'] as const;
/** One of {@link KEY_TYPES}. */
export type KeyType = (typeof KEY_TYPES)[number];
/** Named curves for `ec`. */
export const EC_CURVES = ['P-256', 'P-384', 'P-521'] as const;
/** One of {@link EC_CURVES}. */
export type EcCurve = (typeof EC_CURVES)[number];

/** Options of {@link keyPair}. */
export interface KeyPairOptions {
  readonly type?: KeyType;
  /** RSA modulus bits, 2048..8192 in steps of 8 (default 3072). */
  readonly bits?: number;
  /** EC curve (default P-256). */
  readonly curve?: EcCurve;
  /** Encrypt the PKCS#8 private key with AES-256-CBC under this passphrase. */
  readonly passphrase?: string;
}

/** A PEM key pair: PKCS#8 private key (encrypted when a passphrase was given) and SPKI public key. */
export interface KeyPairPem {
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
}

/** Check type/bits/curve; shared with the OpenSSH generator. */
export function checkRsaBits(bits: number): number {
  if (!Number.isInteger(bits) || bits < 2048 || bits > 8192 || bits % 8 !== 0)
    throw hushError('RSA_BITS_MUST_MULTIPLE_DEFAULT', { bits });
  return bits;
}

/** Check an EC curve name. */
export function checkCurve(curve: string): EcCurve {
  if (!(EC_CURVES as readonly string[]).includes(curve))
    throw hushError('EC_CURVE_MUST_ONE_GOT', {
      ecCurves: EC_CURVES.join(', '),
      curve: JSON.stringify(curve),
    });
  return curve as EcCurve;
}

/** Check an optional passphrase: when given it must not be empty. */
export function checkPassphrase(passphrase: string | undefined): void {
  if (passphrase !== undefined && passphrase.length === 0) throw hushError('KEY_PASSPHRASE_EMPTY');
}

/**
 * A fresh RSA, EC or Ed25519 key pair as PEM.
 *
 * @example
 * const { privateKeyPem, publicKeyPem } = keyPair({ type: 'ec', curve: 'P-384', passphrase });
 */
export function keyPair(options: KeyPairOptions = {}): KeyPairPem {
  const type = options.type ?? 'ed25519';
  if (!(KEY_TYPES as readonly string[]).includes(type))
    throw hushError('KEY_TYPE_MUST_ONE_GOT', { keyTypes: KEY_TYPES.join(', '), type: JSON.stringify(type) });
  checkPassphrase(options.passphrase);
  if (type !== 'rsa' && options.bits !== undefined) throw hushError('BITS_APPLIES_RSA_KEYS_ONLY', { type });
  if (type !== 'ec' && options.curve !== undefined) throw hushError('CURVE_APPLIES_EC_KEYS_ONLY', { type });
  const encoding = {
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: {
      type: 'pkcs8',
      format: 'pem',
      ...(options.passphrase !== undefined ? { cipher: 'aes-256-cbc', passphrase: options.passphrase } : {}),
    },
  } as const;
  const pair =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: checkRsaBits(options.bits ?? 3072), ...encoding })
      : type === 'ec'
        ? generateKeyPairSync('ec', { namedCurve: checkCurve(options.curve ?? 'P-256'), ...encoding })
        : generateKeyPairSync('ed25519', encoding);
  return { privateKeyPem: pair.privateKey, publicKeyPem: pair.publicKey };
}
