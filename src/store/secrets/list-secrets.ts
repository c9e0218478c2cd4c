import { hushError } from '../../core/errors/index.js';
import { parsePrefix } from '../../core/secrets/address.js';
import { MAX_LIST_LIMIT } from '../../storage/backend.js';
import type { StoreContext } from '../context.js';
import { META_PREFIX, metaPrefixKey } from '../storage-keys.js';

/** Options of list. */
export interface ListSecretsOptions {
  /** List every secret below the prefix instead of one level with folder entries. */
  readonly recursive?: boolean;
  /** The `cursor` of the previous page. */
  readonly cursor?: string;
  /** Entries per page (default 100, at most {@link MAX_PAGE_LIMIT}). */
  readonly limit?: number;
  /**
   * Keep only entries this accepts (a caller's read filter). Pages are filled with accepted entries, and the cursor
   * continues from the last returned one, so neither the page nor the cursor says anything about skipped names.
   */
  readonly accept?: (entry: ListEntry) => boolean;
  /**
   * With `accept`: stop after examining this many names even if the page is not full (default 10,000), returning a
   * cursor at the last name examined. Bounds the work one request can cause over a large hidden subtree.
   */
  readonly scanBudget?: number;
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
const DEFAULT_SCAN_BUDGET = 10_000;
/**
 * The largest page a caller may ask for. A filtered page never examines more than the scan budget anyway, so a page
 * as large as the budget adds no work per request; it spares a client that wants a whole project (the console's
 * grid) one round trip per 1,000 names. The storage backend is still read 1,000 keys at a time.
 */
export const MAX_PAGE_LIMIT = DEFAULT_SCAN_BUDGET;

/** Build `list`: names below a prefix (`''` lists projects), one level or recursive, paginated. */
export function createListSecrets(ctx: Pick<StoreContext, 'backend' | 'barrier'>) {
  /** Every entry after `start` in order, each with the storage position just past it. */
  async function* walk(
    base: string,
    shown: string,
    start: string | undefined,
    recursive: boolean,
    pageSize: number,
  ) {
    let after = start;
    for (;;) {
      const page = await ctx.backend.list(base, { ...(after ? { after } : {}), limit: pageSize });
      if (page.keys.length === 0) return;
      let jumped = false;
      for (const key of page.keys) {
        const rel = key.slice(base.length);
        const slash = rel.indexOf('/');
        if (recursive || slash < 0) {
          after = key;
          yield { entry: { name: rel, path: shown + rel, kind: 'secret' } as ListEntry, after };
          continue;
        }
        const folder = rel.slice(0, slash + 1);
        // Skip the rest of the folder: re-list from just past it.
        after = base + folder + PAST_FOLDER;
        yield { entry: { name: folder, path: shown + folder, kind: 'folder' } as ListEntry, after };
        jumped = true;
        break;
      }
      if (!jumped && !page.next) return;
    }
  }

  return async function listSecrets(
    prefix: string,
    options: ListSecretsOptions = {},
  ): Promise<ListSecretsResult> {
    ctx.barrier.assertUnsealed();
    const limit = checkedLimit(options.limit);
    const base = prefix === '' ? META_PREFIX : metaPrefixKey(parsePrefix(prefix));
    const shown = base.slice(META_PREFIX.length);
    const start = options.cursor !== undefined ? base + decodeCursor(options.cursor) : undefined;
    const accept = options.accept;
    const budget = accept ? (options.scanBudget ?? DEFAULT_SCAN_BUDGET) : Number.POSITIVE_INFINITY;
    // One more than a page tells whether a next page exists; a filter may skip many, so read full pages then.
    const pageSize = accept ? MAX_LIST_LIMIT : Math.min(limit + 1, MAX_LIST_LIMIT);
    const entries: ListEntry[] = [];
    let lastReturned: string | undefined;
    let lastExamined: string | undefined;
    let examined = 0;
    for await (const { entry, after } of walk(base, shown, start, options.recursive === true, pageSize)) {
      // The budget is spent and a further name exists: continue from the last one examined. Checked only once a
      // further name is known, so a subtree ending exactly at the budget (a 10,000-name project) needs no second,
      // empty round trip.
      if (examined >= budget) return { entries, cursor: encodeCursor(lastExamined, base) };
      examined += 1;
      lastExamined = after;
      if (!accept || accept(entry)) {
        // A further entry exists: the next page starts just past the last one returned.
        if (entries.length === limit) return { entries, cursor: encodeCursor(lastReturned, base) };
        entries.push(entry);
        lastReturned = after;
      }
    }
    return { entries };
  };
}

function checkedLimit(limit: number | undefined): number {
  if (limit === undefined) return 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) {
    throw hushError('LIMIT_MUST_INTEGER_FOUND', { maxListLimit: MAX_PAGE_LIMIT, limit });
  }
  return limit;
}

function encodeCursor(position: string | undefined, base: string): string {
  return Buffer.from((position ?? base).slice(base.length), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  const rel = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[A-Za-z0-9._\-/\u007f]*$/.test(rel) || Buffer.from(rel, 'utf8').toString('base64url') !== cursor) {
    throw hushError('LIST_CURSOR_NOT_VALID');
  }
  return rel;
}
