import { randomBytes } from 'node:crypto';
import { hushError } from '../core/errors/index.js';
import {
  type CipherBinding,
  decodeBase64,
  decryptWith,
  digest,
  encryptWith,
  hmacWith,
  keySignatureScheme,
  parseHash,
  parseRsaScheme,
  rewrapWith,
  type SignOptions,
  signWith,
  type TransitKey,
  verifyHmacWith,
  verifyWith,
} from '../core/transit/index.js';
import type { HsmSigner } from '../ports/hsm-signer-port.js';
import type { SealedView } from '../store/sealed-view/index.js';
import { checkBatchSize, DEFAULT_MAX_BATCH, type ItemResult, runItems } from './transit-batch.js';
import { loadKeyRow } from './transit-key-store.js';

/** Binding fields every cipher item may carry (base64). */
export interface BindingInput {
  readonly associatedData?: string;
  readonly context?: string;
}
export interface EncryptItem extends BindingInput {
  readonly plaintext: string;
  readonly keyVersion?: number;
}
export interface DecryptItem extends BindingInput {
  readonly ciphertext: string;
}
export interface RewrapItem extends DecryptItem {
  readonly keyVersion?: number;
}
/** Options shared by sign and verify items. */
export interface SignatureOptionsInput {
  readonly hashAlgorithm?: string;
  readonly prehashed?: boolean;
  /** RSA: `pss` or `pkcs1v15`; default the key's `signatureAlgorithm` (itself `pss` unless set at create). */
  readonly signatureAlgorithm?: string;
}
export interface SignItem extends SignatureOptionsInput {
  readonly input: string;
  readonly keyVersion?: number;
}
export interface VerifyItem extends SignatureOptionsInput {
  readonly input: string;
  readonly signature: string;
}
export interface HmacItem {
  readonly input: string;
  readonly hashAlgorithm?: string;
  readonly keyVersion?: number;
}
export interface VerifyHmacItem {
  readonly input: string;
  readonly hmac: string;
  readonly hashAlgorithm?: string;
}
/** Input of {@link TransitOpsService.datakey}. */
export interface DatakeyInput extends BindingInput {
  /** Data key length: 128, 256 (default) or 512 bits. */
  readonly bits?: number;
  /** Return only the wrapped key (for a party that stores it and asks for decryption later). */
  readonly wrappedOnly?: boolean;
}

const version = (text: string) => Number(text.slice(6, text.indexOf(':', 6)));

function binding(item: BindingInput): CipherBinding {
  return {
    ...(item.associatedData !== undefined
      ? { associatedData: decodeBase64(item.associatedData, 'associatedData') }
      : {}),
    ...(item.context !== undefined ? { context: decodeBase64(item.context, 'context') } : {}),
  };
}

function signOptions(key: TransitKey, item: SignatureOptionsInput): SignOptions {
  return {
    hash: parseHash(item.hashAlgorithm),
    prehashed: item.prehashed === true,
    rsaScheme:
      item.signatureAlgorithm === undefined
        ? keySignatureScheme(key)
        : parseRsaScheme(item.signatureAlgorithm),
  };
}

/**
 * Transit operations on named keys, batched: each call takes items and returns one result per item, so one bad
 * ciphertext in a batch of a thousand refuses only itself. Inputs and outputs are base64 (plaintexts, data) or
 * `hush:v<N>:...` strings; nothing here logs or keeps a plaintext.
 */
export function createTransitOpsService(deps: {
  readonly records: SealedView;
  readonly maxBatch?: number;
  /** Signs versions whose private key an HSM holds. */
  readonly hsm?: HsmSigner;
}) {
  const maxBatch = deps.maxBatch ?? DEFAULT_MAX_BATCH;
  async function batch<I, T>(name: string, items: readonly I[], fn: (key: TransitKey, item: I) => T) {
    checkBatchSize(items.length, maxBatch);
    const key = (await loadKeyRow(deps.records, name)).value;
    return runItems(items, (item) => fn(key, item));
  }
  return {
    maxBatch,
    encrypt: (name: string, items: readonly EncryptItem[]) =>
      batch(name, items, (key, it) => {
        const plain = decodeBase64(it.plaintext, 'plaintext');
        const ciphertext = encryptWith(key, plain, binding(it), it.keyVersion);
        return { ciphertext, keyVersion: version(ciphertext) };
      }),
    decrypt: (name: string, items: readonly DecryptItem[]) =>
      batch(name, items, (key, it) => ({
        plaintext: decryptWith(key, it.ciphertext, binding(it)).toString('base64'),
      })),
    rewrap: (name: string, items: readonly RewrapItem[]) =>
      batch(name, items, (key, it) => {
        const ciphertext = rewrapWith(key, it.ciphertext, binding(it), it.keyVersion);
        return { ciphertext, keyVersion: version(ciphertext) };
      }),
    sign: (name: string, items: readonly SignItem[]) =>
      batch(name, items, (key, it) => {
        const signature = signWith(
          key,
          decodeBase64(it.input, 'input'),
          signOptions(key, it),
          it.keyVersion,
          deps.hsm?.sign,
        );
        return { signature, keyVersion: version(signature) };
      }),
    verify: (name: string, items: readonly VerifyItem[]) =>
      batch(name, items, (key, it) => ({
        valid: verifyWith(key, decodeBase64(it.input, 'input'), it.signature, signOptions(key, it)),
      })),
    hmac: (name: string, items: readonly HmacItem[]) =>
      batch(name, items, (key, it) => {
        const hmac = hmacWith(
          key,
          decodeBase64(it.input, 'input'),
          parseHash(it.hashAlgorithm),
          it.keyVersion,
        );
        return { hmac, keyVersion: version(hmac) };
      }),
    verifyHmac: (name: string, items: readonly VerifyHmacItem[]) =>
      batch(name, items, (key, it) => ({
        valid: verifyHmacWith(key, decodeBase64(it.input, 'input'), it.hmac, parseHash(it.hashAlgorithm)),
      })),
    /** A fresh data key, wrapped by `name` (and in plaintext unless `wrappedOnly`). */
    async datakey(name: string, input: DatakeyInput) {
      const bits = input.bits ?? 256;
      if (![128, 256, 512].includes(bits)) throw hushError('TRANSIT_BITS_INVALID', { bits });
      const key = (await loadKeyRow(deps.records, name)).value;
      const plain = randomBytes(bits / 8);
      try {
        const ciphertext = encryptWith(key, plain, binding(input));
        return {
          ciphertext,
          keyVersion: version(ciphertext),
          ...(input.wrappedOnly ? {} : { plaintext: plain.toString('base64') }),
        };
      } finally {
        plain.fill(0);
      }
    },
  };
}

/** The transit operations service. */
export type TransitOpsService = ReturnType<typeof createTransitOpsService>;

/** The item's value, or its coded error thrown (single-item requests). */
export function single<T>(results: ItemResult<T>[]): T {
  const first = results[0];
  if (!first) throw new TypeError('single() of an empty result list');
  if (!first.ok) throw first.error;
  return first.value;
}

/** Most random bytes one call returns. */
export const MAX_RANDOM_BYTES = 1024;

/** `bytes` random bytes from the CSPRNG (1 to 1024), as base64 or hex. */
export function randomOutput(bytes: number, format: 'base64' | 'hex' = 'base64'): string {
  if (!Number.isSafeInteger(bytes) || bytes < 1 || bytes > MAX_RANDOM_BYTES)
    throw hushError('TRANSIT_RANDOM_BYTES_INVALID', { maxRandomBytes: MAX_RANDOM_BYTES, bytes });
  return randomBytes(bytes).toString(format);
}

/** The digest of base64 `input`, as base64 or hex. */
export function hashOutput(input: string, algorithm?: string, format: 'base64' | 'hex' = 'hex'): string {
  return digest(parseHash(algorithm), decodeBase64(input, 'input')).toString(format);
}
