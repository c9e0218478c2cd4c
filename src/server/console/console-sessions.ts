import { randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Console sessions, kept IN MEMORY on the node that opened them (not in storage): a session holds a live token, and
 * writing it to disk would put a bearer credential at rest beside the data it opens (sealing it would tie every
 * click to the barrier's state). The cost is plain and accepted: a restart, or a request landing on another node of
 * a cluster, asks the user to log in again (use sticky sessions behind a load balancer).
 */
export interface ConsoleSession {
  /** The token the session acts as: the auth guard authenticates every request of the session with it. */
  readonly token: string;
  /** The double-submit value the console echoes in `x-hush-csrf` on every request that changes state. */
  readonly csrf: string;
  /** Epoch ms: the token's own expiry, capped by {@link MAX_SESSION_MS}. */
  readonly expiresAt: number;
  /** The token was minted for this session (AppRole, OIDC): logout revokes it; a pasted token is left alone. */
  readonly revokeOnLogout: boolean;
}

/** A session never outlives this, even on a token without expiry (root): half a working day. */
export const MAX_SESSION_MS = 12 * 60 * 60 * 1000;
/** More open sessions than this on one node is an attack or a leak: the oldest are dropped first. */
const MAX_SESSIONS = 10_000;

export type ConsoleSessions = ReturnType<typeof createConsoleSessions>;

/** A random identifier: 32 bytes from the CSPRNG, base64url (cookie-safe). */
export const randomId = (): string => randomBytes(32).toString('base64url');

/** Compare two strings without leaking where they first differ (lengths may differ: then false, in fixed time). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  if (x.length !== y.length) {
    timingSafeEqual(x, x);
    return false;
  }
  return timingSafeEqual(x, y);
}

/** The node's console sessions by id. */
export function createConsoleSessions(now: () => number = Date.now) {
  const byId = new Map<string, ConsoleSession>();
  const sweep = (): void => {
    const t = now();
    for (const [id, s] of byId) if (s.expiresAt <= t) byId.delete(id);
    // Maps iterate in insertion order: the first keys are the oldest sessions.
    for (const id of byId.keys()) {
      if (byId.size < MAX_SESSIONS) break;
      byId.delete(id);
    }
  };
  return {
    /** Open a session for `token` until `tokenExpiresAt` (null: no expiry) and hand back its id and CSRF value. */
    open(token: string, tokenExpiresAt: number | null, revokeOnLogout: boolean) {
      sweep();
      const cap = now() + MAX_SESSION_MS;
      const session: ConsoleSession = {
        token,
        csrf: randomId(),
        expiresAt: tokenExpiresAt === null ? cap : Math.min(tokenExpiresAt, cap),
        revokeOnLogout,
      };
      const id = randomId();
      byId.set(id, session);
      return { id, session };
    },
    /** The live session of `id`, or undefined (unknown or expired). */
    get(id: string): ConsoleSession | undefined {
      const s = byId.get(id);
      if (s && s.expiresAt <= now()) {
        byId.delete(id);
        return undefined;
      }
      return s;
    },
    /** End a session (logout); returns it so its token can be revoked. */
    close(id: string): ConsoleSession | undefined {
      const s = byId.get(id);
      byId.delete(id);
      return s;
    },
    /** How many sessions are open (for tests and metrics). */
    size: (): number => byId.size,
  };
}
