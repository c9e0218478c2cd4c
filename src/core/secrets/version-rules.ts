import { HushError } from '../errors/hush-error.js';
import type { SecretMetadata, VersionInfo } from './secret-metadata.js';

/** The version entry `version` (the latest by default); missing or pruned versions raise HUSH_E_NOT_FOUND. */
export function findVersion(meta: SecretMetadata, where: string, version = meta.current): VersionInfo {
  // Newest last, and reads mostly want the newest: search from the end.
  for (let i = meta.versions.length - 1; i >= 0; i -= 1) {
    const found = meta.versions[i]!;
    if (found.version === version) return found;
  }
  const kept = meta.versions.map((v) => v.version);
  const range =
    kept.length > 0 ? `versions ${Math.min(...kept)}..${Math.max(...kept)} are kept` : 'no versions are kept';
  throw new HushError(
    'HUSH_E_NOT_FOUND',
    `${where} has no version ${version} (${range}); run \`hush versions ${where}\` to list them`,
    { path: where, version },
  );
}

/** A version that may be read; soft-deleted -> HUSH_E_DELETED, destroyed -> HUSH_E_DESTROYED. */
export function readableVersion(meta: SecretMetadata, where: string, version = meta.current): VersionInfo {
  const info = findVersion(meta, where, version);
  if (info.state === 'deleted') {
    throw new HushError(
      'HUSH_E_DELETED',
      `version ${info.version} of ${where} is deleted; run \`hush undelete ${where} --versions ${info.version}\` to restore it`,
      { path: where, version: info.version },
    );
  }
  if (info.state === 'destroyed') {
    throw new HushError(
      'HUSH_E_DESTROYED',
      `version ${info.version} of ${where} was destroyed and cannot be recovered; read another version or write a new one`,
      { path: where, version: info.version },
    );
  }
  return info;
}

/** True when a version still has a data row (active or soft-deleted). */
export function hasData(info: VersionInfo): boolean {
  return info.state !== 'destroyed';
}

/** Split versions into those kept (the newest `keep`) and those pruned. */
export function pruneVersions(
  versions: readonly VersionInfo[],
  keep: number,
): { kept: VersionInfo[]; pruned: VersionInfo[] } {
  const sorted = [...versions].sort((a, b) => a.version - b.version);
  const cut = Math.max(0, sorted.length - keep);
  return { kept: sorted.slice(cut), pruned: sorted.slice(0, cut) };
}
