import { randomBytes } from 'node:crypto';
import { hushError } from '../../core/errors/index.js';
import type { KnownFingerprints } from './fingerprints.js';

/** How long a salt and its digest index live: long enough for one scan's batches, short enough to go stale. */
export const KNOWN_SESSION_TTL_MS = 60_000;
/**
 * Sessions one identity keeps at once: its own oldest is dropped for a new one. Each holds one digest per stored
 * string the caller may read, so memory is bounded per identity and in total (MAX_KNOWN_SESSIONS).
 */
export const MAX_KNOWN_SESSIONS_PER_IDENTITY = 4;
/** Sessions kept at once on the server; when all are live a new one is refused (429), never another's evicted. */
export const MAX_KNOWN_SESSIONS = 64;

interface Session {
  readonly callerId: string;
  /** Whose quota it counts against: the token's identity (all tokens of one app or person share it). */
  readonly owner: string;
  readonly salt: Buffer;
  readonly expires: number;
  index?: Promise<Map<string, string[]>>;
}

/** A started session, as its caller receives it. */
export interface StartedKnownSession {
  readonly session: string;
  readonly salt: string;
  readonly ttlSeconds: number;
}

/**
 * `hush scan --known` against a server: sessions of a fresh random salt, then which SHA-256(salt || candidate)
 * digests are stored values. A session belongs to the caller that started it and covers only what its `readable`
 * filter keeps (the caller's read policies), so an answer never tells a caller anything it could not read itself.
 * Sessions live in this process's memory, bounded per owner and in total.
 *
 * @example
 * const sessions = createKnownSessions({ knownSecrets: store.knownSecrets });
 * const { session, salt } = sessions.start({ callerId, owner });
 * const matches = await sessions.match({ session, callerId, digests, readable });
 */
export function createKnownSessions(deps: {
  readonly knownSecrets: Pick<KnownFingerprints, 'saltedIndex'>;
  readonly now?: () => number;
}) {
  const now = deps.now ?? Date.now;
  const sessions = new Map<string, Session>();
  /** Drop expired sessions, then make room for one more of `owner`'s: its own oldest go, nobody else's. */
  const makeRoom = (owner: string) => {
    const t = now();
    for (const [id, s] of sessions) if (s.expires <= t) sessions.delete(id);
    const own = [...sessions].filter(([, s]) => s.owner === owner).map(([id]) => id);
    for (const id of own.slice(0, Math.max(0, own.length - MAX_KNOWN_SESSIONS_PER_IDENTITY + 1)))
      sessions.delete(id);
    if (sessions.size >= MAX_KNOWN_SESSIONS) {
      let first = Number.POSITIVE_INFINITY;
      for (const s of sessions.values()) first = Math.min(first, s.expires);
      const seconds = Math.max(1, Math.ceil((first - t) / 1000));
      throw hushError(
        'KNOWN_SECRETS_SESSIONS_OPEN_SERVER',
        { maxKnownSessions: MAX_KNOWN_SESSIONS, seconds },
        { retryAfterSeconds: seconds },
      );
    }
  };
  return {
    /** Start a session for `callerId`, counted against `owner`; HUSH_E_RATE_LIMITED (with retryAfterSeconds) when full. */
    start(who: { readonly callerId: string; readonly owner: string }): StartedKnownSession {
      makeRoom(who.owner);
      const id = randomBytes(16).toString('hex');
      const salt = randomBytes(32);
      sessions.set(id, {
        callerId: who.callerId,
        owner: who.owner,
        salt,
        expires: now() + KNOWN_SESSION_TTL_MS,
      });
      return { session: id, salt: salt.toString('base64'), ttlSeconds: KNOWN_SESSION_TTL_MS / 1000 };
    },
    /** The salt of a live session of `callerId` (to salt other digests alike, e.g. canaries), or undefined. */
    saltOf(session: string, callerId: string): Buffer | undefined {
      const found = sessions.get(session);
      return found && found.expires > now() && found.callerId === callerId ? found.salt : undefined;
    },
    /**
     * Which of `digests` are stored values the session covers; HUSH_E_NOT_FOUND for an expired session or one
     * started by another caller. The first match of a session builds its index through `readable`.
     */
    async match(request: {
      readonly session: string;
      readonly callerId: string;
      readonly digests: readonly string[];
      readonly readable: () => Promise<(paths: string[]) => string[]>;
    }): Promise<{ digest: string; paths: string[] }[]> {
      const session = sessions.get(request.session);
      if (!session || session.expires <= now() || session.callerId !== request.callerId) {
        throw hushError('NO_SUCH_KNOWN_SECRETS_SESSION');
      }
      if (!session.index) {
        session.index = request
          .readable()
          .then((readable) => deps.knownSecrets.saltedIndex(session.salt, readable));
        session.index.catch(() => sessions.delete(request.session));
      }
      const index = await session.index;
      const matches = [];
      for (const digest of new Set(request.digests)) {
        const paths = index.get(digest);
        if (paths) matches.push({ digest, paths });
      }
      return matches;
    },
  };
}

/** The known-secrets sessions of a server ({@link createKnownSessions}). */
export type KnownSessions = ReturnType<typeof createKnownSessions>;
