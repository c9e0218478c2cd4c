import { wipe } from '../core/crypto/random.js';
import { hushError } from '../core/errors/index.js';
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
    throw hushError('SEAL_KIND_MISMATCH', { kind: entry.record.kind, kind2: seal.kind });
  }
  const root = await seal.unseal(entry.record, material);
  if (!rootCheckMatches(root, entry.check)) {
    wipe(root);
    throw hushError('UNSEAL_MATERIAL_RECOVERED_KEY_NOT');
  }
  return root;
}
