import { z } from 'zod';

/** Config of the key-file seal: where the protecting key lives (created at init, mode 0600). */
export const keyFileSealConfigSchema = z.strictObject({
  path: z.string().min(1, 'path must name the key file, e.g. ~/.hush/root.key'),
});

/** Validated key-file seal config. */
export type KeyFileSealConfig = z.infer<typeof keyFileSealConfigSchema>;
