import { createHash, createHmac, hkdfSync } from 'node:crypto';
import { isHushError } from '../../core/errors/hush-error.js';
import type { SecretValue } from '../../core/secrets/value-codec.js';
import type { StoreContext } from '../context.js';
import { createGetSecret } from './get-secret.js';
import { createListSecrets } from './list-secrets.js';

/** Stored values shorter than this are not fingerprinted: they would match ordinary words and numbers. */
export const MIN_KNOWN_LENGTH = 8;

/** Digest (hex) -> where the value is stored (`project/env/path`, or `project/env/path#field` for object fields). */
export type KnownIndex = Map<string, string[]>;

/** One stored string: a whole value, or one (nested) field of an object value. */
interface StoredString {
  readonly where: string;
  readonly text: string;
}

function* stringsOf(where: string, value: unknown): Generator<StoredString> {
  if (typeof value === 'string') {
    if (value.length >= MIN_KNOWN_LENGTH) yield { where, text: value };
  } else if (typeof value === 'number') {
    const text = String(value);
    if (text.length >= MIN_KNOWN_LENGTH) yield { where, text };
  } else if (value && typeof value === 'object') {
    const sep = where.includes('#') ? '.' : '#';
    for (const [k, v] of Object.entries(value)) yield* stringsOf(`${where}${sep}${k}`, v);
  }
}

function add(index: KnownIndex, digest: string, where: string): void {
  const paths = index.get(digest);
  if (paths) {
    if (!paths.includes(where)) paths.push(where);
  } else index.set(digest, [where]);
}

/**
 * Fingerprints of stored values, computed inside the process that holds the root key, so `hush scan --known` can
 * ask "is this string stored?" without any value leaving the store. Local mode HMACs under a key derived from the
 * root key (HKDF, never exported); remote mode digests under a caller-supplied random salt, over readable paths only.
 */
export function createKnownFingerprints(ctx: Pick<StoreContext, 'backend' | 'barrier' | 'io'>) {
  const list = createListSecrets(ctx);
  const get = createGetSecret(ctx);

  /** Every stored string of the latest readable version of every secret `include` accepts. */
  async function* stored(include: (paths: string[]) => string[]): AsyncGenerator<StoredString> {
    let cursor: string | undefined;
    do {
      const page = await list('', { recursive: true, limit: 1000, ...(cursor ? { cursor } : {}) });
      cursor = page.cursor;
      for (const path of include(page.entries.map((e) => e.path))) {
        let value: SecretValue;
        try {
          value = (await get(path)).value;
        } catch (err) {
          // A deleted or destroyed latest version holds nothing readable: nothing to find.
          if (isHushError(err, 'HUSH_E_DELETED') || isHushError(err, 'HUSH_E_DESTROYED')) continue;
          if (isHushError(err, 'HUSH_E_NOT_FOUND')) continue;
          throw err;
        }
        yield* stringsOf(path, value);
      }
    } while (cursor);
  }

  function fingerprintKey(): Buffer {
    const root = ctx.barrier.rootKey();
    return Buffer.from(hkdfSync('sha256', root, Buffer.alloc(0), 'hush/known-secrets/v1', 32));
  }

  return {
    /**
     * Which of `candidates` are stored: candidate -> store locations. Both sides are HMAC-SHA256 under the
     * fingerprint key, so plaintext is only ever compared as MACs (for callers in the same process, e.g. the CLI).
     */
    async match(candidates: readonly string[]): Promise<Map<string, string[]>> {
      const key = fingerprintKey();
      try {
        const mac = (text: string) => createHmac('sha256', key).update(text, 'utf8').digest('hex');
        const index: KnownIndex = new Map();
        for await (const s of stored((p) => p)) add(index, mac(s.text), s.where);
        const out = new Map<string, string[]>();
        for (const c of new Set(candidates)) {
          const where = index.get(mac(c));
          if (where) out.set(c, where);
        }
        return out;
      } finally {
        key.fill(0);
      }
    },
    /**
     * SHA-256(salt || value) of every stored string under the paths `readable` keeps (remote mode: the server
     * passes the caller's read filter, so a match can only name a secret the caller could read anyway).
     */
    async saltedIndex(salt: Uint8Array, readable: (paths: string[]) => string[]): Promise<KnownIndex> {
      ctx.barrier.assertUnsealed();
      const index: KnownIndex = new Map();
      for await (const s of stored(readable)) {
        add(index, createHash('sha256').update(salt).update(s.text, 'utf8').digest('hex'), s.where);
      }
      return index;
    },
  };
}

/** The known-secrets API of a store ({@link createKnownFingerprints}). */
export type KnownFingerprints = ReturnType<typeof createKnownFingerprints>;
