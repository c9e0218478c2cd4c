import { hushError } from '../../core/errors/index.js';
import type { BatchOp, StorageBackend } from '../../storage/backend.js';
import { SEAL_KEY } from '../storage-keys.js';
import { decodeSealEntry, rootCheckMatches } from './seal-entry.js';

/**
 * A batch op that rewrites the seal record unchanged with check-and-set: added to a batch that writes rows sealed
 * under `root`, it makes the batch fail if another process rotated the root key meanwhile. HUSH_E_SEALED when the
 * root key already changed.
 */
export async function sealFence(backend: Pick<StorageBackend, 'get'>, root: Buffer): Promise<BatchOp> {
  const seal = await backend.get(SEAL_KEY);
  if (!seal || !rootCheckMatches(root, decodeSealEntry(seal.value).check)) {
    throw hushError('ROOT_KEY_ROTATED_STORE_RE');
  }
  return { op: 'put', key: SEAL_KEY, value: seal.value, expectedRevision: seal.revision };
}
