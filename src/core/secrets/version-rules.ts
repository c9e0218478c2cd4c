import { hushError } from '../errors/index.js';
import type { SecretMetadata, VersionInfo, VersionLabel, VersionLabels } from './secret-metadata.js';

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
  throw hushError('VERSION_NOT_FOUND', { where, version, range }, { path: where, version });
}

/** A version that may be read; soft-deleted -> HUSH_E_DELETED, destroyed -> HUSH_E_DESTROYED. */
export function readableVersion(meta: SecretMetadata, where: string, version = meta.current): VersionInfo {
  const info = findVersion(meta, where, version);
  if (info.state === 'deleted') {
    throw hushError(
      'VERSION_VERSION_WHERE_DELETED',
      { version: info.version, where },
      { path: where, version: info.version },
    );
  }
  if (info.state === 'destroyed') {
    throw hushError(
      'VERSION_DESTROYED',
      { version: info.version, where },
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

/** How a reader names the version it wants: a number, a label, or neither (the served version). */
export interface VersionSelector {
  readonly version?: number | undefined;
  readonly label?: VersionLabel | undefined;
}

/**
 * The version number a read resolves to: `version` if given, else the labelled one, else the `current` label when the
 * secret is staged (so a pending version is never served before it is promoted), else the latest.
 */
export function selectedVersion(meta: SecretMetadata, where: string, selector: VersionSelector = {}): number {
  if (selector.version !== undefined && selector.label !== undefined)
    throw hushError('GIVE_VERSION_LABEL_NOT_BOTH', { where });
  if (selector.version !== undefined) return selector.version;
  const labels = meta.labels;
  if (selector.label !== undefined) {
    const version = labels?.[selector.label];
    if (version === undefined)
      throw hushError(
        'NO_VERSION_LABELLED',
        { where, label: selector.label },
        { path: where, label: selector.label },
      );
    return version;
  }
  if (labels === undefined) return meta.current;
  if (labels.current === undefined)
    throw hushError(
      'STAGED_VERSION_BUT_NO_CURRENT',
      { where, value: labels.pending ?? '?' },
      { path: where },
    );
  return labels.current;
}

/** Labels of `meta` after writing version `version`: staged -> pending; direct -> current (old current -> previous). */
export function labelsAfterWrite(
  meta: SecretMetadata | undefined,
  version: number,
  stage: boolean,
): VersionLabels | undefined {
  const labels = meta?.labels;
  if (stage) {
    // The first staging pins what readers get today as `current`, so they keep getting it until promotion.
    const current = labels ? labels.current : meta && meta.current > 0 ? meta.current : undefined;
    return { ...labels, ...(current !== undefined ? { current } : {}), pending: version };
  }
  if (labels === undefined) return undefined;
  // A direct write supersedes a staged value: serving it now and dropping the stale pending keeps one truth.
  const { pending: _dropped, ...rest } = labels;
  return { ...rest, current: version, ...(labels.current !== undefined ? { previous: labels.current } : {}) };
}

/** Drop labels that point at versions no longer kept (pruned). */
export function keptLabels(
  labels: VersionLabels | undefined,
  kept: readonly VersionInfo[],
): VersionLabels | undefined {
  if (labels === undefined) return undefined;
  const present = new Set(kept.map((v) => v.version));
  return Object.fromEntries(Object.entries(labels).filter(([, v]) => v !== undefined && present.has(v)));
}
