import { isHushError } from '../core/errors/hush-error.js';
import type {
  ListEntry,
  ListSecretsOptions,
  ListSecretsResult,
  SecretInfo,
  SecretRead,
} from '../store/index.js';
import type { PrefixedSecret } from './env-names.js';

/** The store calls injection needs: a local HushStore and the remote CLI store both provide them. */
export interface InjectStore {
  list(prefix: string, options?: ListSecretsOptions): Promise<ListSecretsResult>;
  get(address: string, options?: { version?: number }): Promise<SecretRead>;
  versions(address: string): Promise<SecretInfo>;
}

/** A secret left out (latest version deleted or destroyed), for a notice on stderr. */
export interface SkippedSecret {
  readonly path: string;
  readonly reason: string;
}

/** Every secret address below each prefix (one level, or every level with `recursive`), all pages. */
export async function listPrefixed(
  store: Pick<InjectStore, 'list'>,
  prefixes: readonly string[],
  recursive: boolean,
): Promise<{ path: string; prefix: string }[]> {
  const out: { path: string; prefix: string }[] = [];
  for (const prefix of prefixes) {
    let cursor: string | undefined;
    do {
      const page = await store.list(prefix, { recursive, limit: 1000, ...(cursor ? { cursor } : {}) });
      for (const e of page.entries as ListEntry[])
        if (e.kind === 'secret') out.push({ path: e.path, prefix });
      cursor = page.cursor;
    } while (cursor);
  }
  return out;
}

/** Read the latest value of every secret below the prefixes; deleted/destroyed latest versions are skipped. */
export async function readPrefixed(
  store: Pick<InjectStore, 'list' | 'get'>,
  prefixes: readonly string[],
  recursive: boolean,
): Promise<{ secrets: PrefixedSecret[]; skipped: SkippedSecret[] }> {
  const secrets: PrefixedSecret[] = [];
  const skipped: SkippedSecret[] = [];
  for (const { path, prefix } of await listPrefixed(store, prefixes, recursive)) {
    try {
      secrets.push({ path, prefix, value: (await store.get(path)).value });
    } catch (err) {
      if (!isHushError(err, 'HUSH_E_DELETED') && !isHushError(err, 'HUSH_E_DESTROYED')) throw err;
      skipped.push({
        path,
        reason: `its latest version is ${err.code === 'HUSH_E_DELETED' ? 'deleted' : 'destroyed'}`,
      });
    }
  }
  return { secrets, skipped };
}

/** path -> `version:state` of the latest version: cheap to poll (metadata only, never values). */
export type VersionFingerprint = ReadonlyMap<string, string>;

/** The fingerprint of every secret below the prefixes; a secret that vanished between list and read is left out. */
export async function fingerprintPrefixed(
  store: Pick<InjectStore, 'list' | 'versions'>,
  prefixes: readonly string[],
  recursive: boolean,
): Promise<VersionFingerprint> {
  const print = new Map<string, string>();
  for (const { path } of await listPrefixed(store, prefixes, recursive)) {
    try {
      const info = await store.versions(path);
      const latest = info.versions.find((v) => v.version === info.current);
      print.set(path, `${info.current}:${latest?.state ?? 'unknown'}`);
    } catch (err) {
      if (!isHushError(err, 'HUSH_E_NOT_FOUND')) throw err;
    }
  }
  return print;
}

/** The secrets that differ between two fingerprints (added, removed or changed), sorted; empty when equal. */
export function changedSecrets(before: VersionFingerprint, after: VersionFingerprint): string[] {
  const changed = new Set<string>();
  for (const [path, v] of after) if (before.get(path) !== v) changed.add(path);
  for (const path of before.keys()) if (!after.has(path)) changed.add(path);
  return [...changed].sort();
}
