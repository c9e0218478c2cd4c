import { HushError } from '../core/errors/hush-error.js';
import { parsePrefix } from '../core/secrets/address.js';
import { MAX_LIST_LIMIT } from '../storage/backend.js';
import type { StoreContext } from './context.js';
import { META_PREFIX, metaPrefixKey } from './storage-keys.js';

/** Options of list. */
export interface ListSecretsOptions {
  /** List every secret below the prefix instead of one level with folder entries. */
  readonly recursive?: boolean;
  /** The `cursor` of the previous page. */
  readonly cursor?: string;
  /** Entries per page (default 100, at most 1000). */
  readonly limit?: number;
}

/** A secret, or (non-recursive only) a folder holding secrets deeper down, shown Vault-style as `name/`. */
export interface ListEntry {
  /** Relative to the prefix: `db-password`, `db/` (a folder), or `db/password` (recursive). */
  readonly name: string;
  /** Full address (folders end with `/`). */
  readonly path: string;
  readonly kind: 'secret' | 'folder';
}

/** One page of a listing; pass `cursor` back for the next page (absent on the last page). */
export interface ListSecretsResult {
  readonly entries: ListEntry[];
  readonly cursor?: string;
}

// Every segment character sorts below DEL, so `folder/` + DEL sorts after everything inside the folder.
const PAST_FOLDER = '\u007f';

/** Build `list`: names below a prefix (`''` lists projects), one level or recursive, paginated. */
export function createListSecrets(ctx: Pick<StoreContext, 'backend' | 'barrier'>) {
  return async function listSecrets(
    prefix: string,
    options: ListSecretsOptions = {},
  ): Promise<ListSecretsResult> {
    ctx.barrier.assertUnsealed();
    const limit = checkedLimit(options.limit);
    const base = prefix === '' ? META_PREFIX : metaPrefixKey(parsePrefix(prefix));
    const shown = base.slice(META_PREFIX.length);
    let after = options.cursor !== undefined ? base + decodeCursor(options.cursor) : undefined;
    const entries: ListEntry[] = [];
    while (entries.length < limit) {
      const page = await ctx.backend.list(base, {
        ...(after ? { after } : {}),
        limit: limit - entries.length,
      });
      if (page.keys.length === 0) break;
      let jumped = false;
      for (const key of page.keys) {
        const rel = key.slice(base.length);
        const slash = rel.indexOf('/');
        if (options.recursive || slash < 0) {
          entries.push({ name: rel, path: shown + rel, kind: 'secret' });
          after = key;
          continue;
        }
        const folder = rel.slice(0, slash + 1);
        entries.push({ name: folder, path: shown + folder, kind: 'folder' });
        // Skip the rest of the folder: re-list from just past it.
        after = base + folder + PAST_FOLDER;
        jumped = true;
        break;
      }
      if (!jumped && !page.next) break;
    }
    if (entries.length < limit || after === undefined) return { entries };
    const more = await ctx.backend.list(base, { after, limit: 1 });
    return more.keys.length > 0 ? { entries, cursor: encodeCursor(after.slice(base.length)) } : { entries };
  };
}

function checkedLimit(limit: number | undefined): number {
  if (limit === undefined) return 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
    throw new HushError(
      'HUSH_E_INVALID_INPUT',
      `limit must be an integer from 1 to ${MAX_LIST_LIMIT}, found ${limit}`,
    );
  }
  return limit;
}

function encodeCursor(rel: string): string {
  return Buffer.from(rel, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  const rel = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[A-Za-z0-9._\-/\u007f]*$/.test(rel) || encodeCursor(rel) !== cursor) {
    throw new HushError(
      'HUSH_E_INVALID_INPUT',
      'the list cursor is not valid; pass the cursor of the previous page',
    );
  }
  return rel;
}
