import { z } from 'zod';

/** The server's `pki` config section (docs/certificates.md, Hush's certificate authority). */
export const pkiConfigSchema = z.strictObject({
  /**
   * Most issued certificates the CA keeps on record (unexpired, or expired less than a day ago: the tidy job forgets
   * older ones). Each record backs revocation and the CRL, so an unbounded CA would grow storage and the CRL without
   * limit; past it, `hush pki issue` and CSR signing fail with HUSH_E_TOO_LARGE until records expire.
   */
  maxIssued: z.number().int().min(1).max(10_000_000).default(100_000),
});

/** The parsed `pki` section. */
export type PkiConfig = z.output<typeof pkiConfigSchema>;
