import { z } from 'zod';
import { keyFileSealConfigSchema } from './key-file/key-file-config.js';
import { KeyFileSeal } from './key-file/key-file-seal.js';
import { pkcs11SealConfigSchema } from './pkcs11/pkcs11-config.js';
import { Pkcs11Seal } from './pkcs11/pkcs11-seal.js';
import { RsaSeal } from './rsa/rsa-seal.js';
import type { Seal } from './seal.js';
import { ShamirSeal } from './shamir/shamir-seal.js';

/** The seal section of the config: which seal protects the root key, with its settings. */
export const sealConfigSchema = z.discriminatedUnion('kind', [
  keyFileSealConfigSchema.extend({ kind: z.literal('key-file') }),
  z.strictObject({
    kind: z.literal('shamir'),
    shares: z.number().int().min(1).max(255).default(5),
    threshold: z.number().int().min(1).max(255).default(3),
  }),
  // Unsealing needs only the private key, so the public key is optional (required at init).
  z.strictObject({ kind: z.literal('rsa'), publicKeyPem: z.string().min(1).optional() }),
  pkcs11SealConfigSchema.extend({ kind: z.literal('pkcs11') }),
]);

/** Validated seal config. */
export type SealConfig = z.infer<typeof sealConfigSchema>;

/**
 * Build the seal a config names. Validate untrusted config with {@link sealConfigSchema} first. `env` is where the
 * pkcs11 seal reads $HUSH_PKCS11_PIN (pass `process.env` at the edge).
 *
 * @example
 * const seal = createSeal({ kind: 'key-file', path: '/var/lib/hush/root.key' });
 */
export function createSeal(config: SealConfig, env: NodeJS.ProcessEnv = {}): Seal {
  switch (config.kind) {
    case 'key-file':
      return new KeyFileSeal(config);
    case 'shamir':
      return new ShamirSeal({ shares: config.shares, threshold: config.threshold });
    case 'rsa':
      return new RsaSeal(config.publicKeyPem === undefined ? {} : { publicKeyPem: config.publicKeyPem });
    case 'pkcs11':
      return new Pkcs11Seal({
        library: config.library,
        tokenLabel: config.tokenLabel,
        keyLabel: config.keyLabel,
        ...(config.pinFile !== undefined ? { pinFile: config.pinFile } : {}),
        env,
      });
  }
}
