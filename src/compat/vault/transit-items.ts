import { hushError } from '../../core/errors/index.js';
import type {
  DecryptItem,
  EncryptItem,
  HmacItem,
  RewrapItem,
  SignItem,
  VerifyHmacItem,
  VerifyItem,
} from '../../transit/index.js';
import { hushTransitString, vaultTransitString } from './transit-strings.js';

/** One item of a Vault transit request (the body itself, or one entry of `batch_input`). */
export type VaultItem = Readonly<Record<string, unknown>>;

/** An optional string field; any other type is a coded 400 naming the field (never its value). */
function text(item: VaultItem, field: string): string | undefined {
  const v = item[field];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw hushError('FIELD_MUST_STRING', { field });
  return v;
}

function required(item: VaultItem, field: string): string {
  const v = text(item, field);
  if (v === undefined) throw hushError('FIELD_REQUIRED', { field });
  return v;
}

/** `key_version` (0 or absent: the latest). */
function keyVersion(item: VaultItem): { keyVersion?: number } {
  const v = item['key_version'];
  if (v === undefined || v === null || v === 0) return {};
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    throw hushError('KEY_VERSION_MUST_WHOLE_NUMBER');
  }
  return { keyVersion: v };
}

/** `context` and `associated_data` (base64 both, as in Hush). */
function binding(item: VaultItem): { context?: string; associatedData?: string } {
  const context = text(item, 'context');
  const associatedData = text(item, 'associated_data');
  return { ...(context ? { context } : {}), ...(associatedData ? { associatedData } : {}) };
}

/** The hash of a sign/verify/hmac item: the body's field, else the URL's `/<algorithm>`, else Hush's default. */
function hash(item: VaultItem, field: string, fromUrl: string | undefined): { hashAlgorithm?: string } {
  const h = text(item, field) ?? fromUrl;
  return h ? { hashAlgorithm: h } : {};
}

/** Vault's signature options; only the ASN.1 marshaling Hush produces is accepted. */
function signatureOptions(item: VaultItem, fromUrl: string | undefined) {
  const marshaling = text(item, 'marshaling_algorithm');
  if (marshaling !== undefined && marshaling !== 'asn1') {
    throw hushError('MARSHALING_ALGORITHM_ONLY_ASN1_SUPPORTED');
  }
  const algorithm = text(item, 'signature_algorithm');
  return {
    ...hash(item, 'hash_algorithm', fromUrl),
    ...(item['prehashed'] === true ? { prehashed: true } : {}),
    ...(algorithm ? { signatureAlgorithm: algorithm } : {}),
  };
}

/** Vault -> Hush items, and Hush results -> Vault's, per operation. */
export const vaultTransitItems = {
  encrypt: (v: VaultItem): EncryptItem => ({
    plaintext: required(v, 'plaintext'),
    ...binding(v),
    ...keyVersion(v),
  }),
  decrypt: (v: VaultItem): DecryptItem => ({
    ciphertext: hushTransitString(required(v, 'ciphertext'), 'ciphertext'),
    ...binding(v),
  }),
  rewrap: (v: VaultItem): RewrapItem => ({
    ciphertext: hushTransitString(required(v, 'ciphertext'), 'ciphertext'),
    ...binding(v),
    ...keyVersion(v),
  }),
  sign: (v: VaultItem, urlHash?: string): SignItem => ({
    input: required(v, 'input'),
    ...signatureOptions(v, urlHash),
    ...keyVersion(v),
  }),
  verify: (v: VaultItem, urlHash?: string): VerifyItem => ({
    input: required(v, 'input'),
    signature: hushTransitString(required(v, 'signature'), 'signature'),
    ...signatureOptions(v, urlHash),
  }),
  verifyHmac: (v: VaultItem, urlHash?: string): VerifyHmacItem => ({
    input: required(v, 'input'),
    hmac: hushTransitString(required(v, 'hmac'), 'hmac'),
    ...hash(v, 'hash_algorithm', urlHash),
  }),
  hmac: (v: VaultItem, urlHash?: string): HmacItem => ({
    input: required(v, 'input'),
    ...hash(v, 'algorithm', urlHash),
    ...keyVersion(v),
  }),
} as const;

/** A Hush transit result in Vault's field names, its `hush:v<N>:` strings as `vault:v<N>:`. */
export function vaultTransitResult(result: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(result)) {
    if (field === 'keyVersion') out['key_version'] = value;
    else if (['ciphertext', 'signature', 'hmac'].includes(field) && typeof value === 'string')
      out[field] = vaultTransitString(value);
    else out[field] = value;
  }
  return out;
}
