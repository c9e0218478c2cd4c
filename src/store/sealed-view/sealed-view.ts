import { openAead, sealAead } from '../../core/crypto/aead.js';
import { hushError } from '../../core/errors/index.js';
import { tokenLookupId } from '../../core/token/token-ids.js';
import type { StorageBackend } from '../../storage/backend.js';
import type { RowPeek } from '../../storage/cache/read-cache-backend.js';
import { retryOnConflict } from '../../storage/retry-on-conflict.js';
import type { Barrier } from '../barrier.js';
import {
  createKeyringSubkeys,
  type KeyringSpec,
  type SealedSubkeys,
  type SubkeyBarrier,
  type SubkeySource,
} from './sealed-subkeys.js';

/** A decrypted record with the storage revision it was read at (for check-and-set). */
export interface Versioned<T> {
  readonly value: T;
  readonly revision: number;
}

/** One write of an atomic batch of a view; values are encrypted on the way out. */
export type RecordOp =
  | { readonly op: 'put'; readonly key: string; readonly value: unknown; readonly expectedRevision?: number }
  | { readonly op: 'delete'; readonly key: string; readonly expectedRevision?: number };

/**
 * One subsystem's sealed records: encrypted JSON under the keys of its prefixes, storage sees keys and AES-256-GCM
 * envelopes only. The one place sealed bytes become cached plaintext; the cache is wiped when the barrier closes.
 */
export interface SealedView {
  /** The decrypted record at `key` (HUSH_E_SEALED while sealed; HUSH_E_INVALID_INPUT outside the view). */
  get<T>(key: string): Promise<Versioned<T> | undefined>;
  /**
   * Synchronous fast path of `get`: the record when its row is in the storage read cache and its plaintext in this
   * view's cache (same bytes, same keys); null when the row is cached as absent; undefined: call `get`.
   */
  peek<T>(key: string): Versioned<T> | null | undefined;
  batch(ops: readonly RecordOp[]): Promise<void>;
  /** Every key below `prefix` (all pages); `prefix` must lie inside the view. */
  keys(prefix: string): Promise<string[]>;
  /** HMAC-SHA256 lookup id of a presented secret (token, secret id, role id) under the view's lookup key. */
  lookupId(secret: string): Promise<string>;
  /** `lookupId` without a promise when the subkeys are at hand (read cache warm); undefined: call `lookupId`. */
  peekLookupId(secret: string): string | undefined;
  /** Run `hook` too when the view wipes itself (a subsystem's own cache derived from these records). */
  onWipe(hook: () => void): void;
  /** How many decrypted records the view holds in memory (0 once sealed): for tests and metrics. */
  cachedRecords(): number;
}

/** What a subsystem opens its view with: the storage prefixes it owns and the keyring its records are sealed under. */
export interface SealedViewSpec extends KeyringSpec {
  /** The view's name in errors. */
  readonly name: string;
  /** Storage key prefixes the view may read and write (each ending in `/`, or one exact key); nothing else. */
  readonly prefixes: readonly string[];
  /** Most decrypted records kept in memory (oldest dropped first); 0 disables the cache. Default 10,000. */
  readonly cacheSize?: number;
}

/** The barrier as a view uses it: its keyring, and a close that wipes the view. */
export type ViewBarrier = SubkeyBarrier & Pick<Barrier, 'onClose'>;

/** The storage a view reads through (the store's read cache gives it the synchronous peek). */
export type ViewBackend = Pick<StorageBackend, 'get' | 'batch' | 'list'> & Partial<RowPeek>;

interface CachedRecord {
  /** The exact sealed bytes the value was opened from (swapped for the read cache's equal buffer once seen). */
  sealed: Buffer;
  /** The subkeys object it was opened with: a changed keyring never reuses a cached plaintext. */
  readonly keys: SealedSubkeys;
  readonly value: unknown;
}

// The AAD purpose every view has sealed under since these were identity records: kept so stored rows still open.
const AAD_PURPOSE = 'identity-record';

/**
 * Open a subsystem's view over the store's storage and barrier: its subkeys and decrypted records are wiped when the
 * barrier closes, by the view itself.
 *
 * @example
 * const records = openSealedView(store.readBackend, store.barrier, { name: 'transit', prefixes: ['transit/'], keyring, info });
 */
export function openSealedView(backend: ViewBackend, barrier: ViewBarrier, spec: SealedViewSpec): SealedView {
  const keys = createKeyringSubkeys(barrier, spec);
  const view = createSealedView(backend, keys, spec);
  barrier.onClose(() => {
    keys.wipe();
    view.wipe();
  });
  return view;
}

/**
 * The view over given subkeys (`openSealedView` is the way in; tests hand keys they can swap). Each record is sealed
 * with AAD naming its storage key, so a row copied under another key (e.g. one token's record moved under another
 * token's lookup id) fails with HUSH_E_INTEGRITY.
 */
export function createSealedView(
  backend: ViewBackend,
  keys: SubkeySource,
  spec: Pick<SealedViewSpec, 'name' | 'prefixes' | 'cacheSize'>,
): SealedView & { wipe(): void } {
  // Every authenticated request reads its token row and its policies' rows. Identical sealed bytes under the same
  // key always open to the same record, so decrypted records are cached against those exact bytes: the row is still
  // read from storage on every call, and any change to it (a use counted, a renewal, a revocation deleting it, a
  // write by another process) changes or removes the bytes and misses. Values are deep-frozen so no caller can edit
  // a shared one. The cache is wiped when the barrier closes.
  const cacheSize = spec.cacheSize ?? 10_000;
  const cache = new Map<string, CachedRecord>();
  const wipeHooks: (() => void)[] = [];
  // Counts wipes: a call in flight while the barrier closed fails sealed instead of caching plaintext after the wipe,
  // handing it out, or sealing and hashing with the zeroed keys it still holds.
  let wipes = 0;
  const stillOpen = (at: number): void => {
    if (wipes !== at) throw hushError('STORE_SEALED');
  };
  const wipeAll = (): void => {
    wipes += 1;
    cache.clear();
    for (const hook of wipeHooks) hook();
  };
  const inside = viewGuard(spec);
  const peekRow = backend.peek?.bind(backend);
  return {
    wipe: wipeAll,
    onWipe: (hook) => {
      wipeHooks.push(hook);
    },
    cachedRecords: () => cache.size,
    peek<T>(key: string) {
      inside(key);
      if (peekRow === undefined) return undefined;
      const subkeys = keys.peek();
      if (subkeys === undefined) return undefined;
      const entry = peekRow(key);
      if (entry === undefined) return undefined;
      if (entry === null) return null;
      const hit = cache.get(key);
      if (hit === undefined || hit.keys !== subkeys) return undefined;
      // The read cache hands out the same buffer for an unchanged row: identity first, bytes only when it changed.
      if (hit.sealed !== entry.value) {
        if (!hit.sealed.equals(entry.value)) return undefined;
        hit.sealed = entry.value;
      }
      return { value: hit.value as T, revision: entry.revision };
    },
    async get<T>(key: string) {
      inside(key);
      const at = wipes;
      let subkeys: SealedSubkeys;
      try {
        subkeys = await keys.subkeys();
      } catch (err) {
        wipeAll(); // sealed (perhaps by another process): hold no plaintext records
        throw err;
      }
      const entry = await backend.get(key);
      stillOpen(at);
      if (!entry) {
        cache.delete(key);
        return undefined;
      }
      const hit = cache.get(key);
      if (hit && hit.keys === subkeys && hit.sealed.equals(entry.value))
        return { value: hit.value as T, revision: entry.revision };
      const plain = openAead(
        subkeys.record,
        entry.value,
        { purpose: AAD_PURPOSE, key },
        `${spec.name} record ${key}`,
      );
      const value = deepFreeze(JSON.parse(plain.toString('utf8')) as T);
      if (cacheSize > 0) {
        cache.delete(key);
        if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string);
        cache.set(key, { sealed: Buffer.from(entry.value), keys: subkeys, value });
      }
      return { value, revision: entry.revision };
    },
    async batch(ops) {
      if (ops.length === 0) return;
      for (const o of ops) inside(o.key);
      for (const o of ops) cache.delete(o.key);
      const at = wipes;
      const { record } = await keys.subkeys();
      stillOpen(at);
      await backend.batch(
        ops.map((o) =>
          o.op === 'delete'
            ? o
            : {
                op: 'put' as const,
                key: o.key,
                value: sealAead(record, Buffer.from(JSON.stringify(o.value), 'utf8'), {
                  purpose: AAD_PURPOSE,
                  key: o.key,
                }),
                ...(o.expectedRevision === undefined ? {} : { expectedRevision: o.expectedRevision }),
              },
        ),
      );
    },
    async keys(prefix) {
      inside(prefix, true);
      const out: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await backend.list(prefix, after === undefined ? {} : { after });
        out.push(...page.keys);
        if (page.next === undefined) return out;
        after = page.next;
      }
    },
    async lookupId(secret) {
      const at = wipes;
      const { lookup } = await keys.subkeys();
      stillOpen(at);
      return tokenLookupId(lookup, secret);
    },
    peekLookupId(secret) {
      const subkeys = keys.peek();
      return subkeys === undefined ? undefined : tokenLookupId(subkeys.lookup, secret);
    },
  };
}

/**
 * The check every key of a view passes: below one of its `/`-ending prefixes or equal to one of its exact keys, with
 * no `..` segment (storage keys are flat strings, but a key built from a client-chosen name must not step into a
 * sibling prefix). An exact key admits no key that merely starts with it (`sys/x` is not `sys/x-other`), and a
 * listing must lie below a `/`-ending prefix (listing `sys/x` would name `sys/x-other`'s keys).
 */
function viewGuard(
  spec: Pick<SealedViewSpec, 'name' | 'prefixes'>,
): (key: string, listing?: boolean) => void {
  const { name, prefixes } = spec;
  const admits = (p: string, key: string, listing: boolean): boolean =>
    p.endsWith('/') ? key.startsWith(p) : !listing && key === p;
  return (key, listing = false) => {
    const dots = key.includes('..') && /(^|\/)\.\.(\/|$)/.test(key);
    if (!dots && prefixes.some((p) => admits(p, key, listing))) return;
    throw hushError('KEY_OUTSIDE_SEALED_VIEW', { key: key.slice(0, 80), view: name });
  };
}

/** Freeze a parsed JSON value and everything in it, so a cached record can be shared safely. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Run `fn` again (up to `attempts` times) when it loses a check-and-set race. */
export function retryCas<T>(fn: () => Promise<T>, attempts = 8): Promise<T> {
  return retryOnConflict(fn, attempts);
}
