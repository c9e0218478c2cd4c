import { createHash } from 'node:crypto';
import type { KnownMatches } from './known-collector.js';

/** Digests per `POST /v1/sys/known-secrets/match` request (the server refuses more). */
export const MATCH_BATCH = 1000;

/** The two known-secrets calls to a Hush server (the client SDK's `knownSecrets` group). */
export interface KnownSecretsApi {
  session(): Promise<KnownSession>;
  match(session: string, digests: readonly string[]): Promise<KnownMatchReply>;
}

/** The server's answer to a session request. */
export interface KnownSession {
  readonly session: string;
  /** Base64 of the random salt for this session. */
  readonly salt: string;
}

/** The server's answer to a match request. */
export interface KnownMatchReply {
  readonly matches: readonly { readonly digest: string; readonly paths: readonly string[] }[];
  /** Digests of planted canary tokens (not leaks: the scan leaves them out). */
  readonly canaries?: readonly string[];
}

/**
 * Ask a Hush server which candidates are stored, sending only SHA-256(salt || candidate) under a fresh random salt
 * the server chose for this session: no candidate and no stored value crosses the wire, and digests from one
 * session are useless in another.
 */
export function remoteKnownMatcher(api: KnownSecretsApi, onCanary?: (value: string) => void) {
  return async (values: readonly string[]): Promise<KnownMatches> => {
    const out = new Map<string, readonly string[]>();
    if (values.length === 0) return out;
    const { session, salt } = await api.session();
    const saltBytes = Buffer.from(salt, 'base64');
    const byDigest = new Map<string, string>();
    for (const v of values) {
      byDigest.set(createHash('sha256').update(saltBytes).update(v, 'utf8').digest('hex'), v);
    }
    const digests = [...byDigest.keys()];
    for (let i = 0; i < digests.length; i += MATCH_BATCH) {
      const reply = await api.match(session, digests.slice(i, i + MATCH_BATCH));
      for (const m of reply.matches) {
        const value = byDigest.get(m.digest);
        if (value !== undefined) out.set(value, m.paths);
      }
      for (const d of reply.canaries ?? []) {
        const value = byDigest.get(d);
        if (value !== undefined) onCanary?.(value);
      }
    }
    return out;
  };
}
