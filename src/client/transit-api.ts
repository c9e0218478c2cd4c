import type { ExportedPublicKey } from '../core/transit/public-key.js';
import type { TransitKeyConfig } from '../core/transit/transit-keyring.js';
import type {
  CreateKeyInput,
  DatakeyInput,
  DecryptItem,
  EncryptItem,
  ExportedKeyVersion,
  HmacItem,
  RewrapItem,
  SignItem,
  TransitKeyView,
  VerifyHmacItem,
  VerifyItem,
} from '../transit/index.js';
import { checkKeyName } from '../transit/transit-key-names.js';
import type { Transport } from './http-transport.js';

/** One batch item's result or its coded error (the other items still ran). */
export type BatchResult<T> = T | { readonly error: { readonly code: string; readonly message: string } };

const key = (name: string) => encodeURIComponent(checkKeyName(name));

/** `transit`: encryption, signing and HMAC as a service; key material never leaves the server (unless exportable). */
export function transitApi(call: Transport) {
  /** A single operation (throws the coded error) or, given an array, a batch (one result or error per item). */
  function op<I, T>(path: string) {
    async function run(name: string, item: I): Promise<T>;
    async function run(name: string, items: readonly I[]): Promise<BatchResult<T>[]>;
    async function run(name: string, input: I | readonly I[]) {
      const url = `/v1/transit/${path}/${key(name)}`;
      if (!Array.isArray(input)) return call<T>({ method: 'POST', path: url, body: input });
      return (await call<{ batch: BatchResult<T>[] }>({ method: 'POST', path: url, body: { batch: input } }))
        .batch;
    }
    return run;
  }
  return {
    /** Create key `name` (type, derived, exportable). */
    createKey: async (name: string, input: CreateKeyInput) =>
      call<TransitKeyView>({ method: 'POST', path: `/v1/transit/keys/${key(name)}`, body: input }),
    readKey: async (name: string) =>
      call<TransitKeyView>({ method: 'GET', path: `/v1/transit/keys/${key(name)}`, fresh: true }),
    listKeys: async () => call<{ keys: string[] }>({ method: 'GET', path: '/v1/transit/keys', fresh: true }),
    rotateKey: async (name: string) =>
      call<TransitKeyView>({ method: 'POST', path: `/v1/transit/keys/${key(name)}/rotate`, body: {} }),
    configureKey: async (name: string, config: TransitKeyConfig) =>
      call<TransitKeyView>({ method: 'POST', path: `/v1/transit/keys/${key(name)}/config`, body: config }),
    trimKey: async (name: string, minAvailableVersion: number) =>
      call<TransitKeyView>({
        method: 'POST',
        path: `/v1/transit/keys/${key(name)}/trim`,
        body: { minAvailableVersion },
      }),
    deleteKey: async (name: string) =>
      call<{ name: string; deleted: true }>({ method: 'DELETE', path: `/v1/transit/keys/${key(name)}` }),
    /** Material of an exportable key (sudo on transit/keys/NAME). */
    exportKey: async (name: string, version?: number) =>
      call<{ keys: ExportedKeyVersion[] }>({
        method: 'GET',
        path: `/v1/transit/keys/${key(name)}/export`,
        query: { version: version === undefined ? undefined : String(version) },
        fresh: true,
      }),
    /** The public JWKS of a signing key (no token needed). */
    jwks: async (name: string) =>
      call<{ keys: ExportedPublicKey['jwk'][] }>({
        method: 'GET',
        path: `/v1/transit/keys/${key(name)}/jwks.json`,
        fresh: true,
      }),
    encrypt: op<EncryptItem, { ciphertext: string; keyVersion: number }>('encrypt'),
    decrypt: op<DecryptItem, { plaintext: string }>('decrypt'),
    rewrap: op<RewrapItem, { ciphertext: string; keyVersion: number }>('rewrap'),
    sign: op<SignItem, { signature: string; keyVersion: number }>('sign'),
    verify: op<VerifyItem, { valid: boolean }>('verify'),
    hmac: op<HmacItem, { hmac: string; keyVersion: number }>('hmac'),
    verifyHmac: op<VerifyHmacItem, { valid: boolean }>('verify-hmac'),
    /** A new data key wrapped by `name` (its plaintext too unless `wrappedOnly`). */
    datakey: async (name: string, input: DatakeyInput = {}) =>
      call<{ ciphertext: string; keyVersion: number; plaintext?: string }>({
        method: 'POST',
        path: `/v1/transit/datakey/${key(name)}`,
        body: input,
      }),
    random: async (bytes = 32, format: 'base64' | 'hex' = 'base64') =>
      call<{ random: string }>({ method: 'POST', path: '/v1/transit/random', body: { bytes, format } }),
    hash: async (input: string, algorithm = 'sha2-256', format: 'base64' | 'hex' = 'hex') =>
      call<{ sum: string }>({ method: 'POST', path: '/v1/transit/hash', body: { input, algorithm, format } }),
  };
}
