import { parseAddress } from '../../core/secrets/address.js';
import type { VersionInfo, VersionLabels } from '../../core/secrets/secret-metadata.js';
import type { StoreContext } from '../context.js';

/** A secret's metadata and version history (no values). */
export interface SecretInfo {
  readonly path: string;
  /** The latest version number. */
  readonly current: number;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
  readonly description?: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly expiresAt?: string;
  /** Kept versions, oldest first, with their state (active, deleted, destroyed) and timestamps. */
  readonly versions: readonly VersionInfo[];
  /** Staging labels (label -> version) once the secret has been staged or rotated. */
  readonly labels?: VersionLabels;
}

/** Build `versions`: metadata and the version list of one secret. */
export function createListVersions(ctx: Pick<StoreContext, 'io'>) {
  return async function listVersions(address: string): Promise<SecretInfo> {
    const { meta, where } = await ctx.io.load(parseAddress(address));
    return { path: where, ...meta, versions: [...meta.versions].sort((a, b) => a.version - b.version) };
  };
}
