import type { ExternalKeyRef, ExternalSign } from '../core/crypto/external-signer.js';

/** Key pairs an HSM-held signing key can be (transit names; the CA maps its own onto them). */
export type HsmKeyKind = 'ed25519' | 'ecdsa-p256' | 'ecdsa-p384' | 'rsa-2048' | 'rsa-3072' | 'rsa-4096';

/**
 * Every label Hush gives a key pair it generates (transit versions, the CA's keys) starts so: such a pair belongs to the
 * key it was made for, and transit refuses to import it under another name.
 */
export const GENERATED_LABEL_PREFIX = 'hush-';

/**
 * The one signer port transit and the CA use for private keys kept inside an HSM: generate a key pair there
 * (sensitive, non-extractable), bind to an existing one by label, and sign. Only public keys (SPKI DER) come out.
 */
export interface HsmSigner {
  /** The configured token ids (`keys.hsmTokens[].id`). */
  readonly tokens: readonly string[];
  /** Generate a persistent key pair labelled `label` in token `token`; returns its public key (SPKI DER). */
  generate(ref: ExternalKeyRef, kind: HsmKeyKind): Promise<Buffer>;
  /** The public key (SPKI DER) of the existing key pair labelled `ref.label` (HUSH_E_NOT_FOUND when absent). */
  publicKey(ref: ExternalKeyRef): Promise<Buffer>;
  readonly sign: ExternalSign;
  close(): Promise<void>;
}
