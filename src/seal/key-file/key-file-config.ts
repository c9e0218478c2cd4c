import { z } from 'zod';

/** Config of the key-file seal: where the protecting key lives (created at init, mode 0600). */
export const keyFileSealConfigSchema = z.strictObject({
  path: z.string().min(1, 'path must name the key file, e.g. ~/.hush/root.key'),
  /**
   * Accept a key file that group or others may read (never write): for mounts whose mode Hush cannot change, such as
   * a Kubernetes Secret volume (0644, or 0440 root-owned with fsGroup). Off unless an admin sets it
   * (`HUSH_ALLOW_LOOSE_KEY_FILE=1` or `seal.allowLooseMode: true`).
   */
  allowLooseMode: z.boolean().optional(),
});

/** Validated key-file seal config. */
export type KeyFileSealConfig = z.infer<typeof keyFileSealConfigSchema>;
