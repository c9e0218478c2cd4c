import { z } from 'zod';
import { DEFAULT_PKCS11_LIBRARY } from '../../hsm/pkcs11-key-wrapper.js';

const label = z.string().min(1).max(64);

/**
 * Config of the PKCS#11 seal: the library, the token and the AES key inside it, and where the user PIN comes from.
 * The PIN itself is never config: it is read from `pinFile` (not world-readable) or $HUSH_PKCS11_PIN.
 */
export const pkcs11SealConfigSchema = z.strictObject({
  library: z.string().min(1).default(DEFAULT_PKCS11_LIBRARY),
  tokenLabel: label,
  keyLabel: label,
  pinFile: z.string().min(1).optional(),
});

/** Validated PKCS#11 seal config. */
export type Pkcs11SealConfig = z.infer<typeof pkcs11SealConfigSchema>;
