import type { StorageBackend } from '../../storage/backend.js';

/** Every storage key under `prefix`, page by page (for whole-prefix passes: move, rewrap, root rotation). */
export async function* listKeys(
  backend: Pick<StorageBackend, 'list'>,
  prefix: string,
): AsyncGenerator<string> {
  let after: string | undefined;
  do {
    const page = await backend.list(prefix, after ? { after } : {});
    yield* page.keys;
    after = page.next;
  } while (after);
}
