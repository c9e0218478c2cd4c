import { randomBytes } from 'node:crypto';
import type { CryptMetadata, TransitStanza, WrappedKeys } from '../core/crypt/index.js';
import { hushError } from '../core/errors/index.js';
import { type AgeIdentity, unwrapWithAge, wrapForAge } from './age-keys.js';

/** The transit engine as `hush crypt` uses it: wrap and unwrap a data key under a named key (the CLI's client). */
export interface TransitKeyService {
  wrap(keyName: string, dataKey: Uint8Array): Promise<string>;
  unwrap(keyName: string, ciphertext: string): Promise<Uint8Array>;
}

/** Who a data key is wrapped for. */
export interface Recipients {
  readonly age: readonly string[];
  readonly transit: readonly string[];
}

/** A fresh 256-bit data key. */
export function newDataKey(): Buffer {
  return randomBytes(32);
}

/**
 * Data keys for one command: each wrapped key is unwrapped once and remembered by its ciphertext, so files that
 * share a data key (a file set, encrypted together or joined with --key-from) cost one key-service call in all.
 */
export interface DataKeys {
  /** The data key of a file, from the first recipient stanza this user can open. */
  unwrap(file: string, metadata: CryptMetadata): Promise<Uint8Array>;
  /** Wrap `dataKey` for `recipients` (once per key and recipient set in this command). */
  wrap(file: string, dataKey: Uint8Array, recipients: Recipients, now: Date): Promise<WrappedKeys>;
  /** Key-service (transit) calls made so far: the benchmark and tests read it. */
  readonly transitCalls: () => number;
}

/** The data-key cache of one command, over the user's age identities and (optionally) the transit engine. */
export function createDataKeys(
  identities: readonly AgeIdentity[],
  transit: TransitKeyService | undefined,
): DataKeys {
  const unwrapped = new Map<string, Promise<Uint8Array | undefined>>();
  const wrapped = new Map<string, Promise<WrappedKeys>>();
  const wrapKeyIds = new WeakMap<Uint8Array, number>();
  let nextId = 0;
  let calls = 0;

  const once = (enc: string, open: () => Promise<Uint8Array | undefined>) => {
    let p = unwrapped.get(enc);
    if (!p) {
      p = open();
      unwrapped.set(enc, p);
    }
    return p;
  };

  async function tryTransit(stanza: TransitStanza): Promise<Uint8Array | undefined> {
    if (!transit) return undefined;
    calls++;
    return transit.unwrap(stanza.key, stanza.enc);
  }

  return {
    transitCalls: () => calls,
    async unwrap(file, metadata) {
      const tried: string[] = [];
      for (const stanza of metadata.age) {
        const id = identities.find((i) => i.recipient === stanza.recipient);
        tried.push(`age ${stanza.recipient.slice(0, 12)}...`);
        if (!id) continue;
        const key = await once(stanza.enc, () => unwrapWithAge(stanza, id));
        if (key) return checked(file, key, stanza.recipient);
      }
      let lastError: unknown;
      for (const stanza of metadata.hush_transit) {
        tried.push(`transit ${stanza.key}`);
        try {
          const key = await once(stanza.enc, () => tryTransit(stanza));
          if (key) return checked(file, key, `transit ${stanza.key}`);
        } catch (err) {
          unwrapped.delete(stanza.enc);
          lastError = err;
        }
      }
      // A denied or failed transit call says more than "no key" (a revoked token, a sealed server).
      if (lastError && identities.length === 0) throw lastError;
      throw hushError('CRYPT_NO_KEY', { file, tried: tried.join(', ') || 'no recipients' });
    },
    async wrap(file, dataKey, recipients, now) {
      if (recipients.age.length === 0 && recipients.transit.length === 0)
        throw hushError('CRYPT_NO_RECIPIENTS', { file });
      let id = wrapKeyIds.get(dataKey);
      if (id === undefined) {
        id = nextId++;
        wrapKeyIds.set(dataKey, id);
      }
      const cacheKey = `${id}\u0000${recipients.age.join(',')}\u0000${recipients.transit.join(',')}`;
      let p = wrapped.get(cacheKey);
      if (!p) {
        p = (async () => ({
          age: await Promise.all(recipients.age.map((r) => wrapForAge(dataKey, r))),
          hush_transit: await Promise.all(
            recipients.transit.map(async (key) => {
              if (!transit) throw hushError('COMMAND_TALKS_HUSH_SERVER');
              calls++;
              return {
                key,
                enc: await transit.wrap(key, dataKey),
                created_at: `${now.toISOString().slice(0, 19)}Z`,
              };
            }),
          ),
        }))();
        wrapped.set(cacheKey, p);
      }
      return p;
    },
  };
}

function checked(file: string, key: Uint8Array, recipient: string): Uint8Array {
  if (key.length !== 32) throw hushError('CRYPT_DATA_KEY_INVALID', { file, recipient, length: key.length });
  return key;
}

/** The recipients a file's metadata lists. */
export function recipientsOf(metadata: CryptMetadata): Recipients {
  return { age: metadata.age.map((a) => a.recipient), transit: metadata.hush_transit.map((t) => t.key) };
}
