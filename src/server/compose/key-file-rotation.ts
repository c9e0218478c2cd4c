import { rename, rm } from 'node:fs/promises';
import type { Seal, SealRecord, UnsealMaterial } from '../../seal/index.js';
import { KeyFileSeal } from '../../seal/index.js';
import type { HushStore, RotateRootOptions } from '../../store/index.js';

/**
 * `rotateRoot` for a server whose seal is a key file at a fixed path. The key-file seal never overwrites a file, so
 * the new key is written beside it (`<path>.next`) and renamed over the old one once the rotation has committed —
 * the same dance `hush operator rotate-root` does. The seal the store keeps using reads the fixed path, so later
 * seal/unseal cycles find the new key. A crash between commit and rename leaves the new key in `<path>.next`:
 * unseal then says the fingerprint differs, and moving `.next` into place fixes it.
 */
export function keyFileRotateRoot(
  store: Pick<HushStore, 'rotateRoot'>,
  path: string,
): HushStore['rotateRoot'] {
  return async (options: RotateRootOptions = {}) => {
    if (options.seal) return store.rotateRoot(options);
    const next = `${path}.next`;
    // The store is unsealed (rotate needs it), so a leftover `.next` is from a rotation that never committed.
    await rm(next, { force: true });
    const writer = new KeyFileSeal({ path: next });
    const reader = new KeyFileSeal({ path });
    const seal: Seal & { readonly warning: string } = {
      kind: 'key-file',
      warning: writer.warning,
      init: (rootKey: Uint8Array) => writer.init(rootKey),
      unseal: (record: SealRecord, material: UnsealMaterial) => reader.unseal(record, material),
    };
    const result = await store.rotateRoot({ seal });
    await rename(next, path);
    return result;
  };
}
