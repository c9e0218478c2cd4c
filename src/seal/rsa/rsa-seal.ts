import { constants, privateDecrypt, publicEncrypt, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { KEY_BYTES, wipe } from '../../core/crypto/random.js';
import { hushError } from '../../core/errors/index.js';
import type { Seal, SealInitResult, SealRecord, UnsealMaterial } from '../seal.js';
import { assertRootKey, parseSealRecord } from '../seal-errors.js';
import { parseRsaConfig, type RsaConfigInput } from './rsa-config.js';
import { loadRsaPrivateKey, loadRsaPublicKey, type RsaPublicKey, rsaFingerprint } from './rsa-keys.js';

const ALGORITHM = 'RSA-OAEP-SHA256';
// OAEP with SHA-256 for both the label hash and MGF1 (OpenSSL's default MGF1 follows the OAEP digest), so the
// wrapped key can also be recovered with plain `openssl pkeyutl` in an emergency (see docs/seals.md).
const OAEP = { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' } as const;

const recordSchema = z.object({
  kind: z.literal('rsa'),
  version: z.literal(1),
  algorithm: z.literal(ALGORITHM),
  keyBits: z.int().min(1),
  fingerprint: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  wrappedRootKey: z.base64(),
});
type RsaRecord = z.output<typeof recordSchema>;

/**
 * RSA seal: the root key is encrypted to an operator's RSA public key (OAEP-SHA256, >= 3072 bits). Hush keeps only
 * the ciphertext and the key's fingerprint; whoever holds the private key can unseal.
 *
 * @example
 * const { record } = await new RsaSeal({ publicKeyPem }).init(rootKey);
 * const key = await new RsaSeal().unseal(record, { privateKeyPem, passphrase });
 */
export class RsaSeal implements Seal {
  readonly kind = 'rsa';
  private readonly publicKey: RsaPublicKey | undefined;

  /** `publicKeyPem` is vetted here (HUSH_E_CONFIG); it is needed only by init. */
  constructor(options: RsaConfigInput = {}) {
    const { publicKeyPem } = parseRsaConfig(options);
    this.publicKey = publicKeyPem === undefined ? undefined : loadRsaPublicKey(publicKeyPem);
  }

  /** Fingerprint of the configured public key (`sha256:<hex>`), to show the operator which key the store uses. */
  get fingerprint(): string | undefined {
    return this.publicKey?.fingerprint;
  }

  /** Encrypt `rootKey` to the configured public key. */
  async init(rootKey: Uint8Array): Promise<SealInitResult> {
    assertRootKey(rootKey);
    if (!this.publicKey) {
      throw hushError('RSA_SEAL_CONFIG_NEEDS_PUBLIC_KEY');
    }
    const record: RsaRecord = {
      kind: 'rsa',
      version: 1,
      algorithm: ALGORITHM,
      keyBits: this.publicKey.bits,
      fingerprint: this.publicKey.fingerprint,
      wrappedRootKey: publicEncrypt({ key: this.publicKey.key, ...OAEP }, rootKey).toString('base64'),
    };
    return { record };
  }

  /** Decrypt the root key with `material.privateKeyPem` (and `passphrase` if the PEM is encrypted). */
  async unseal(record: SealRecord, material: UnsealMaterial): Promise<Buffer> {
    const rec = parseSealRecord('rsa', recordSchema, record);
    if (!material.privateKeyPem) {
      throw hushError('STORE_SEALED_RSA_KEY', { fingerprint: rec.fingerprint });
    }
    const privateKey = loadRsaPrivateKey(material.privateKeyPem, material.passphrase);
    const found = rsaFingerprint(privateKey);
    if (!timingSafeEqual(Buffer.from(found), Buffer.from(rec.fingerprint))) {
      throw hushError(
        'WRONG_PRIVATE_KEY_STORE_SEALED',
        { fingerprint: rec.fingerprint, found },
        { expected: rec.fingerprint, found },
      );
    }
    let rootKey: Buffer | undefined;
    try {
      rootKey = privateDecrypt({ key: privateKey, ...OAEP }, Buffer.from(rec.wrappedRootKey, 'base64'));
    } catch {
      // The key matches the fingerprint, so a failure here means the stored ciphertext was damaged.
    }
    if (rootKey?.length !== KEY_BYTES) {
      wipe(rootKey);
      throw hushError('ROOT_KEY_RSA_SEAL_RECORD', { fingerprint: rec.fingerprint });
    }
    return rootKey;
  }
}
