import { wipe } from '../core/crypto/random.js';
import { HushError } from '../core/errors/hush-error.js';
import type { Seal, UnsealMaterial } from '../seal/seal.js';
import { decodeSealEntry, rootCheckMatches } from '../store/seal/seal-entry.js';

/** Recovers a store's root key from its `sys/seal` row (the caller supplies seal and material). */
export type UnsealRoot = (sealRow: Buffer) => Promise<Buffer>;

/** The seal kind a `sys/seal` row names. */
export function sealKindOf(sealRow: Uint8Array) {
  return decodeSealEntry(sealRow).record.kind;
}

/**
 * Recover the root key from a `sys/seal` row with `seal` and the operator's `material`, checked against the row's
 * root check value (wrong material is HUSH_E_UNSEAL_FAILED, never a silently wrong key). The caller wipes the key.
 */
export async function rootKeyFromSealRow(
  sealRow: Uint8Array,
  seal: Seal,
  material: UnsealMaterial,
): Promise<Buffer> {
  const entry = decodeSealEntry(sealRow);
  if (entry.record.kind !== seal.kind) {
    throw new HushError(
      'HUSH_E_CONFIG',
      `the store was sealed with the ${entry.record.kind} seal, not ${seal.kind}; supply ${entry.record.kind} unseal material`,
    );
  }
  const root = await seal.unseal(entry.record, material);
  if (!rootCheckMatches(root, entry.check)) {
    wipe(root);
    throw new HushError(
      'HUSH_E_UNSEAL_FAILED',
      'the unseal material recovered a key that does not belong to this store; supply the material printed when this store was initialised or last rotated',
    );
  }
  return root;
}
