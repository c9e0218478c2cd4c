import { z } from 'zod';
import { HushError } from '../core/errors/hush-error.js';
import { keyFileSealConfigSchema } from './key-file/key-file-config.js';
import { KeyFileSeal } from './key-file/key-file-seal.js';
import type { Seal } from './seal.js';

export { KeyFileSeal } from './key-file/key-file-seal.js';
export type { Seal, SealInitResult, SealKind, SealRecord, UnsealMaterial } from './seal.js';

/** The seal section of the config: which seal protects the root key, with its settings. */
export const sealConfigSchema = z.discriminatedUnion('kind', [
  keyFileSealConfigSchema.extend({ kind: z.literal('key-file') }),
  z.strictObject({
    kind: z.literal('shamir'),
    shares: z.number().int().min(1).max(255),
    threshold: z.number().int().min(1).max(255),
  }),
  z.strictObject({ kind: z.literal('rsa'), publicKeyPem: z.string().min(1) }),
]);

/** Validated seal config. */
export type SealConfig = z.infer<typeof sealConfigSchema>;

/**
 * Build the seal a config names. Validate untrusted config with {@link sealConfigSchema} first.
 *
 * @example
 * const seal = createSeal({ kind: 'key-file', path: '/var/lib/hush/root.key' });
 */
export function createSeal(config: SealConfig): Seal {
  switch (config.kind) {
    case 'key-file':
      return new KeyFileSeal({ path: config.path });
    // TODO(integrator): wire ShamirSeal/RsaSeal (from './shamir/shamir-seal.js' and './rsa/rsa-seal.js')
    case 'shamir':
    case 'rsa':
      throw new HushError(
        'HUSH_E_CONFIG',
        `the ${config.kind} seal is not available yet in this build; use kind "key-file" for now`,
      );
  }
}
