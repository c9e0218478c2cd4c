import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { HushError } from '../../../core/errors/index.js';
import { filterReadable } from '../../../core/policy/index.js';
import type { PolicyService } from '../../../identity/policy-service.js';
import { callerToken } from '../../../identity/server-auth.js';
import type { HushStore } from '../../../store/index.js';
import type {} from '../../plugins/audit.js';
import type {} from '../../route-config.js';
import type { Caller } from '../../server-deps.js';
import { callerOf } from './secrets-request.js';

/** How long a salt and its digest index live: long enough for one scan's batches, short enough to go stale. */
export const KNOWN_SESSION_TTL_MS = 60_000;
/**
 * Sessions one identity keeps at once: its own oldest is dropped for a new one. Each holds one digest per stored
 * string the caller may read, so memory is bounded per identity and in total (MAX_KNOWN_SESSIONS).
 */
export const MAX_KNOWN_SESSIONS_PER_IDENTITY = 4;
/** Sessions kept at once on the server; when all are live a new one is refused (429), never another's evicted. */
export const MAX_KNOWN_SESSIONS = 64;
const MAX_DIGESTS = 1000;

/** What the known-secrets routes are built from. */
export interface KnownSecretsDeps {
  readonly store: Pick<HushStore, 'knownSecrets'>;
  /** The identity module: the caller's token policies decide which paths a session covers. */
  readonly identity: { readonly services: { readonly policies: Pick<PolicyService, 'compile'> } };
  readonly now?: () => number;
}

interface Session {
  readonly callerId: string;
  /** Whose quota it counts against: the token's identity (all tokens of one app or person share it). */
  readonly owner: string;
  readonly salt: Buffer;
  readonly expires: number;
  index?: Promise<Map<string, string[]>>;
}

const sessionBody = { type: 'object', additionalProperties: false, properties: {} } as const;
const matchBody = {
  type: 'object',
  additionalProperties: false,
  required: ['session', 'digests'],
  properties: {
    session: { type: 'string', pattern: '^[0-9a-f]{32}$' },
    digests: { type: 'array', maxItems: MAX_DIGESTS, items: { type: 'string', pattern: '^[0-9a-f]{64}$' } },
  },
} as const;

/**
 * `POST /v1/sys/known-secrets/session` (a fresh random salt) and `POST /v1/sys/known-secrets/match` (which of these
 * SHA-256(salt || candidate) digests are stored values?) for `hush scan --known` against a server. A session covers
 * only the secrets its caller may `read`, so the answer never tells a caller anything it could not read itself.
 */
export function knownSecretsRoutes(deps: KnownSecretsDeps): FastifyPluginAsync {
  const now = deps.now ?? Date.now;
  const sessions = new Map<string, Session>();
  const policiesFor = async (caller: Caller) => {
    const token = callerToken(caller);
    return token ? deps.identity.services.policies.compile(token.policies) : [];
  };
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
      throw new HushError(
        'HUSH_E_RATE_LIMITED',
        `${MAX_KNOWN_SESSIONS} known-secrets sessions are open on this server; retry in ${seconds} s`,
        { retryAfterSeconds: seconds },
      );
    }
  };
  return async (app) => {
    app.post(
      '/v1/sys/known-secrets/session',
      {
        schema: {
          summary: 'Start a known-secrets check: a fresh random salt',
          tags: ['sys'],
          body: sessionBody,
        },
        config: { requireUnsealed: true, auth: true, operation: 'sys.known-secrets.session' },
      },
      async (request, reply) => {
        const caller = callerOf(request);
        const owner = callerToken(caller)?.identity ?? caller.id;
        try {
          makeRoom(owner);
        } catch (err) {
          reply.header('retry-after', String((err as HushError).details?.['retryAfterSeconds'] ?? 1));
          throw err;
        }
        const id = randomBytes(16).toString('hex');
        const salt = randomBytes(32);
        sessions.set(id, { callerId: caller.id, owner, salt, expires: now() + KNOWN_SESSION_TTL_MS });
        return { session: id, salt: salt.toString('base64'), ttlSeconds: KNOWN_SESSION_TTL_MS / 1000 };
      },
    );
    app.post<{ Body: { session: string; digests: string[] } }>(
      '/v1/sys/known-secrets/match',
      {
        schema: {
          summary: 'Which salted digests are stored values (readable paths only)',
          tags: ['sys'],
          body: matchBody,
        },
        config: { requireUnsealed: true, auth: true, operation: 'sys.known-secrets.match' },
      },
      async (request) => {
        const caller = callerOf(request);
        const session = sessions.get(request.body.session);
        if (!session || session.expires <= now() || session.callerId !== caller.id) {
          throw new HushError(
            'HUSH_E_NOT_FOUND',
            'no such known-secrets session (expired after 60 s, or started by another token); start a new one',
          );
        }
        if (!session.index) {
          const policies = await policiesFor(caller);
          const at = new Date(now());
          session.index = deps.store.knownSecrets.saltedIndex(session.salt, (paths) =>
            filterReadable(policies, paths, at),
          );
          session.index.catch(() => sessions.delete(request.body.session));
        }
        const index = await session.index;
        const matches = [];
        for (const digest of new Set(request.body.digests)) {
          const paths = index.get(digest);
          if (paths) matches.push({ digest, paths });
        }
        request.auditDetails = { candidates: request.body.digests.length, matched: matches.length };
        return { matches };
      },
    );
  };
}
