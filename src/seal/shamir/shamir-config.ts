import { z } from 'zod';
import { parseSealConfig } from '../seal-errors.js';

/** Upper bound of the GF(2^8) scheme: each share needs a distinct non-zero x-coordinate. */
export const MAX_SHARES = 255;

const count = (name: string, fallback: number) =>
  z
    .int({ error: (iss) => `${name} must be a whole number (got ${JSON.stringify(iss.input)})` })
    .min(2, { error: (iss) => `${name} must be at least 2 (got ${String(iss.input)})` })
    .max(MAX_SHARES, { error: (iss) => `${name} must be at most ${MAX_SHARES} (got ${String(iss.input)})` })
    .default(fallback);

/** Options of the Shamir seal: split into `shares`, any `threshold` of which reconstruct the unseal key. */
export const shamirConfigSchema = z
  .strictObject(
    { shares: count('shares', 5), threshold: count('threshold', 3) },
    {
      error: (iss) =>
        iss.code === 'unrecognized_keys' ? `unknown option(s) ${iss.keys.join(', ')}` : undefined,
    },
  )
  .refine((c) => c.threshold <= c.shares, {
    path: ['threshold'],
    error: (iss) => {
      const c = iss.input as { shares: number; threshold: number };
      return `${c.threshold} is more than the ${c.shares} shares; choose threshold <= shares`;
    },
  });

/** Validated, frozen Shamir options. */
export type ShamirConfig = Readonly<z.output<typeof shamirConfigSchema>>;

/** What callers may pass (both fields optional: defaults 5 shares, threshold 3). */
export type ShamirConfigInput = z.input<typeof shamirConfigSchema>;

/** Validate Shamir options once at the edge; raises HUSH_E_CONFIG naming every bad field. */
export function parseShamirConfig(input: unknown): ShamirConfig {
  return Object.freeze(parseSealConfig('shamir', shamirConfigSchema, input));
}
