import { createHash } from 'node:crypto';
import type { KnownMatches } from './known-collector.js';

/** Digests per `POST /v1/sys/known-secrets/match` request (the server refuses more). */
export const MATCH_BATCH = 1000;

/** A JSON POST to the Hush server (the CLI's remoteRequest). */
export type PostJson = <T>(path: string, body: unknown) => Promise<T>;

/** The server's answer to a session request. */
export interface KnownSession {
  readonly session: string;
  /** Base64 of the random salt for this session. */
  readonly salt: string;
}

/** The server's answer to a match request. */
export interface KnownMatchReply {
  readonly matches: readonly { readonly digest: string; readonly paths: readonly string[] }[];
}

/**
 * Ask a Hush server which candidates are stored, sending only SHA-256(salt || candidate) under a fresh random salt
 * the server chose for this session: no candidate and no stored value crosses the wire, and digests from one
 * session are useless in another.
 */
export function remoteKnownMatcher(post: PostJson) {
  return async (values: readonly string[]): Promise<KnownMatches> => {
    const out = new Map<string, readonly string[]>();
    if (values.length === 0) return out;
    const { session, salt } = await post<KnownSession>('/v1/sys/known-secrets/session', {});
    const saltBytes = Buffer.from(salt, 'base64');
    const byDigest = new Map<string, string>();
    for (const v of values) {
      byDigest.set(createHash('sha256').update(saltBytes).update(v, 'utf8').digest('hex'), v);
    }
    const digests = [...byDigest.keys()];
    for (let i = 0; i < digests.length; i += MATCH_BATCH) {
      const reply = await post<KnownMatchReply>('/v1/sys/known-secrets/match', {
        session,
        digests: digests.slice(i, i + MATCH_BATCH),
      });
      for (const m of reply.matches) {
        const value = byDigest.get(m.digest);
        if (value !== undefined) out.set(value, m.paths);
      }
    }
    return out;
  };
}
