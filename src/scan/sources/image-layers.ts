import type { TarEntry } from './tar-reader.js';

/** One part of a container image: a layer tar (maybe gzipped), or the image config (env vars, history). */
export interface ImagePart {
  /** Short digest (12 hex) of a layer, or `config`. */
  readonly digest: string;
  readonly data: Uint8Array;
}

function json(data: Uint8Array | undefined): unknown {
  if (!data) return undefined;
  try {
    return JSON.parse(Buffer.from(data).toString('utf8'));
  } catch {
    return undefined;
  }
}

function shortDigest(ref: string): string {
  const m = /(?:sha256[:/])?([0-9a-f]{12})[0-9a-f]*/.exec(ref);
  return m?.[1] ?? ref.replace(/[/!]/g, '_');
}

function blobPath(digest: string): string {
  return `blobs/${digest.replace(':', '/')}`;
}

function ociManifests(files: Map<string, Uint8Array>, digest: string, depth: number): string[] {
  const doc = json(files.get(blobPath(digest))) as
    | { manifests?: { digest?: string }[]; layers?: { digest?: string }[]; config?: { digest?: string } }
    | undefined;
  if (!doc || depth > 3) return [];
  if (Array.isArray(doc.manifests)) {
    return doc.manifests.flatMap((m) => (m.digest ? ociManifests(files, m.digest, depth + 1) : []));
  }
  const layers = (doc.layers ?? []).flatMap((l) => (l.digest ? [l.digest] : []));
  return doc.config?.digest ? [`config:${doc.config.digest}`, ...layers] : layers;
}

/**
 * Recognise a container image saved as a tar (`docker save`: manifest.json + layer tars; or an OCI layout:
 * oci-layout + index.json + blobs/sha256) and list its parts in layer order; undefined when it is a plain tar.
 */
export function imageLayers(entries: readonly TarEntry[]): ImagePart[] | undefined {
  const files = new Map(entries.map((e) => [e.name, e.data]));
  const parts: ImagePart[] = [];
  const seen = new Set<string>();
  const add = (digest: string, data: Uint8Array | undefined) => {
    if (data && !seen.has(digest)) {
      seen.add(digest);
      parts.push({ digest, data });
    }
  };
  const docker = json(files.get('manifest.json'));
  if (Array.isArray(docker) && docker.some((m) => Array.isArray((m as { Layers?: unknown }).Layers))) {
    for (const m of docker as { Config?: string; Layers?: string[] }[]) {
      if (m.Config) add('config', files.get(m.Config));
      for (const layer of m.Layers ?? []) add(shortDigest(layer), files.get(layer));
    }
    return parts;
  }
  const index = json(files.get('index.json')) as { manifests?: { digest?: string }[] } | undefined;
  if (files.has('oci-layout') && index && Array.isArray(index.manifests)) {
    for (const m of index.manifests) {
      for (const ref of m.digest ? ociManifests(files, m.digest, 0) : []) {
        if (ref.startsWith('config:')) add('config', files.get(blobPath(ref.slice(7))));
        else add(shortDigest(ref), files.get(blobPath(ref)));
      }
    }
    return parts;
  }
  return undefined;
}
