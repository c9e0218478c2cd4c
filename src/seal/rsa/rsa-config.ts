import { z } from 'zod';
import { parseSealConfig } from '../seal-errors.js';

/** Smallest RSA modulus the seal accepts (NIST SP 800-57: 3072 bits for 128-bit security, matching AES-256 data). */
export const MIN_RSA_BITS = 3072;

/** Options of the RSA seal. The public key is needed only to initialise; unsealing reads the record. */
export const rsaConfigSchema = z.strictObject(
  {
    publicKeyPem: z
      .string({ error: 'publicKeyPem must be the text of a PEM public key' })
      .min(1, { error: 'publicKeyPem is empty; give the text of a PEM public key' })
      .optional(),
  },
  {
    error: (iss) =>
      iss.code === 'unrecognized_keys' ? `unknown option(s) ${iss.keys.join(', ')}` : undefined,
  },
);

/** Validated, frozen RSA seal options (the key itself is checked by `loadRsaPublicKey`). */
export type RsaConfig = Readonly<z.output<typeof rsaConfigSchema>>;

/** What callers may pass to `new RsaSeal(...)`. */
export type RsaConfigInput = z.input<typeof rsaConfigSchema>;

/** Validate RSA seal options once at the edge; raises HUSH_E_CONFIG. */
export function parseRsaConfig(input: unknown): RsaConfig {
  return Object.freeze(parseSealConfig('rsa', rsaConfigSchema, input));
}
