/** One part of a container image: a layer tar (maybe gzipped), or the image config (env vars, history). */
export interface ImagePart {
  /** Short digest (12 hex) of a layer, or `config`. */
  readonly digest: string;
  /** The file that holds it, relative to the image root (`<id>/layer.tar`, `blobs/sha256/<hex>`). */
  readonly name: string;
}

/** A recognised image: its parts in layer order, and the blobs its manifests name that are not there. */
export interface ImageLayout {
  readonly parts: readonly ImagePart[];
  readonly missing: readonly string[];
}

/** How the layout is read: a tar's entries or a directory's files, by slash-separated relative name. */
export interface ImageFiles {
  /** True when `name` is a regular file of the image. */
  has(name: string): boolean;
  /** The bytes of a small metadata file (manifest, index); undefined when absent or too big. */
  read(name: string): Uint8Array | undefined;
}

function json(data: Uint8Array | undefined): unknown {
  if (!data) return undefined;
  try {
    return JSON.parse(Buffer.from(data).toString('utf8'));
  } catch {
    return undefined;
  }
}

// OCI descriptor digests (image-spec descriptor.md): `algorithm:encoded`. Checked before a digest becomes a path,
// so a hostile index cannot point at `../../elsewhere`.
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

function shortDigest(ref: string): string {
  const m = /(?:sha256[:/])?([0-9a-f]{12})[0-9a-f]*/.exec(ref);
  return m?.[1] ?? ref.replace(/[/!]/g, '_');
}

function blobPath(digest: string): string {
  return `blobs/${digest.replace(':', '/')}`;
}

/** A relative name that stays inside the image root (docker-save manifests name their layer files). */
function insideName(name: unknown): name is string {
  return typeof name === 'string' && name !== '' && !name.startsWith('/') && !name.split('/').includes('..');
}

interface Collect {
  readonly files: ImageFiles;
  readonly parts: ImagePart[];
  readonly missing: string[];
  readonly seen: Set<string>;
}

function add(c: Collect, digest: string, name: string): void {
  if (c.seen.has(name)) return;
  c.seen.add(name);
  if (c.files.has(name)) c.parts.push({ digest, name });
  else c.missing.push(name);
}

function hasLayer(c: Collect): boolean {
  return c.parts.some((p) => p.digest !== 'config');
}

function descriptorDigest(d: unknown): string | undefined {
  const digest = (d as { digest?: unknown } | null)?.digest;
  return typeof digest === 'string' && DIGEST.test(digest) ? digest : undefined;
}

function ociManifest(c: Collect, digest: string, depth: number): void {
  const doc = json(c.files.read(blobPath(digest))) as
    | { manifests?: unknown; layers?: unknown; config?: unknown }
    | undefined;
  if (!doc || typeof doc !== 'object' || depth > 3) return;
  if (Array.isArray(doc.manifests)) {
    for (const m of doc.manifests) {
      const d = descriptorDigest(m);
      if (d) ociManifest(c, d, depth + 1);
    }
    return;
  }
  const config = descriptorDigest(doc.config);
  if (config) add(c, 'config', blobPath(config));
  for (const l of Array.isArray(doc.layers) ? doc.layers : []) {
    const d = descriptorDigest(l);
    if (d) add(c, shortDigest(d), blobPath(d));
  }
}

/**
 * Recognise a container image (`docker save`: manifest.json + layer tars; or an OCI layout: oci-layout +
 * index.json + blobs/<alg>/<hex>) and list its parts in layer order. Two marker files are not an image: the
 * manifests must parse and name at least one layer that is there. Undefined means "scan it as plain files"; a
 * caller that finds an image still scans every file that is not one of its parts.
 */
export function imageLayout(files: ImageFiles): ImageLayout | undefined {
  const c: Collect = { files, parts: [], missing: [], seen: new Set() };
  const docker = json(files.read('manifest.json'));
  if (Array.isArray(docker) && docker.length > 0) {
    for (const m of docker as { Config?: unknown; Layers?: unknown }[]) {
      if (!m || typeof m !== 'object' || !Array.isArray(m.Layers)) continue;
      if (insideName(m.Config)) add(c, 'config', m.Config);
      for (const layer of m.Layers) if (insideName(layer)) add(c, shortDigest(layer), layer);
    }
  }
  // Newer `docker save` writes both forms over the same blobs; the OCI one is read when the docker one names none.
  if (!hasLayer(c) && files.has('oci-layout')) {
    const layoutDoc = json(files.read('oci-layout')) as { imageLayoutVersion?: unknown } | undefined;
    const index = json(files.read('index.json')) as { manifests?: unknown } | undefined;
    if (typeof layoutDoc?.imageLayoutVersion === 'string' && index && Array.isArray(index.manifests)) {
      for (const m of index.manifests) {
        const d = descriptorDigest(m);
        if (d) ociManifest(c, d, 0);
      }
    }
  }
  // Only layers make an image: a manifest naming nothing that is there would otherwise hide the whole tree.
  return hasLayer(c) ? { parts: c.parts, missing: c.missing } : undefined;
}
