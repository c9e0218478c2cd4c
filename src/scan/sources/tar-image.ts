import type { Reopen } from './archive-stream.js';
import { ByteReader } from './byte-reader.js';
import { imageLayout } from './image-layers.js';
import { tarEntries } from './tar-entries.js';

/** While looking for image metadata, entries that may hold it are kept up to this size (manifests, indexes)... */
const METADATA_ENTRY = 1 << 20;
/** ...and this much in all; other entries are only listed. */
const METADATA_TOTAL = 16 << 20;

/** An image found in a tar: which entries (by their index in tar order) are its parts, and what it lacks. */
export interface TarImage {
  readonly parts: ReadonlyMap<number, string>;
  readonly missing: readonly string[];
}

/** Entries that image metadata can be in (docker save: manifest.json; OCI: oci-layout, index.json, manifest blobs). */
function mayBeMetadata(name: string): boolean {
  return (
    name === 'manifest.json' || name === 'oci-layout' || name === 'index.json' || name.startsWith('blobs/')
  );
}

/**
 * One pass over a tar for its image metadata (see imageLayout: an image only when its manifests parse and name a
 * layer that is there). A name held by several entries means the last of them, as extracting the tar would leave it.
 */
export async function imageOf(reopen: Reopen): Promise<TarImage | undefined> {
  const r = new ByteReader(reopen());
  const last = new Map<string, { index: number; data: Buffer | undefined }>();
  let kept = 0;
  let index = 0;
  try {
    for await (const { name, size } of tarEntries(r)) {
      const prev = last.get(name);
      if (prev?.data) kept -= prev.data.length;
      const small = mayBeMetadata(name) && size <= METADATA_ENTRY && kept + size <= METADATA_TOTAL;
      const data = small ? await r.read(size) : undefined;
      if (data) kept += data.length;
      last.set(name, { index: index++, data });
    }
  } finally {
    await r.close();
  }
  const image = imageLayout({ has: (n) => last.has(n), read: (n) => last.get(n)?.data });
  if (!image) return undefined;
  const parts = new Map<number, string>();
  for (const p of image.parts) parts.set(last.get(p.name)!.index, p.digest);
  return { parts, missing: image.missing };
}
