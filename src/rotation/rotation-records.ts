import type { SealedViewSpec } from '../store/sealed-view/index.js';

/**
 * Rotation records (policies, per-secret state) are sealed under their own keyring beside the project keyrings
 * (`sys/keyring/@rotation/v1`), so a root rotation re-seals it with the others; `@` cannot occur in an address, so
 * no project can collide with it.
 */
export const ROTATION_VIEW: SealedViewSpec = {
  name: 'rotation',
  prefixes: ['rotation/'],
  keyring: { project: '@rotation', environment: 'v1' },
  info: { lookup: 'hush rotation lookup v1', record: 'hush rotation record v1' },
};
