import type { FastifyPluginAsync } from 'fastify';
import { undeclaredResponse } from '../../../api/contract.js';
import type { HushError } from '../../../core/errors/index.js';
import { evaluate, filterReadable } from '../../../core/policy/index.js';
import { requiredApprovals } from '../../../core/policy/required-approvals.js';
import type { PolicyService } from '../../../identity/policy-service.js';
import { callerToken } from '../../../identity/server-auth.js';
import type { HushStore } from '../../../store/index.js';
import { createKnownSessions } from '../../../store/secrets/known-sessions.js';
import type {} from '../../plugins/audit.js';
import { routeAuth } from '../../route-config.js';
import type { Caller } from '../../server-deps.js';
import { callerOf } from './secrets-request.js';

const MAX_DIGESTS = 1000;
/** Who may be told which candidates are planted canaries: `read` here (the canary routes need `sudo`). */
const CANARIES_PATH = 'sys/canaries';

/** What the known-secrets routes are built from. */
export interface KnownSecretsDeps {
  readonly store: Pick<HushStore, 'knownSecrets'>;
  /** The identity module: the caller's token policies decide which paths a session covers. */
  readonly identity: { readonly services: { readonly policies: Pick<PolicyService, 'compile'> } };
  readonly now?: () => number;
  /** Planted canary tokens: answered apart, so a scan does not report a canary as a leak. */
  readonly canaries?: { saltedDigests(salt: Uint8Array): Promise<Set<string>> };
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
  const sessions = createKnownSessions({ knownSecrets: deps.store.knownSecrets, now });
  const policiesFor = async (caller: Caller) => {
    const token = callerToken(caller);
    return token ? deps.identity.services.policies.compile(token.policies) : [];
  };
  /**
   * Who a session belongs to: the token (its accessor), not its identity. A child token acts for its parent's
   * identity with fewer policies, and the session's index is built over what its first matcher may read.
   */
  const holderOf = (caller: Caller) => callerToken(caller)?.accessor ?? caller.id;
  return async (app) => {
    app.post(
      '/v1/sys/known-secrets/session',
      {
        schema: {
          summary: 'Start a known-secrets check: a fresh random salt',
          tags: ['sys'],
          body: sessionBody,
          response: undeclaredResponse,
        },
        config: { requireUnsealed: true, auth: routeAuth.token, operation: 'sys.known-secrets.session' },
      },
      async (request, reply) => {
        const caller = callerOf(request);
        try {
          return sessions.start({
            callerId: holderOf(caller),
            owner: callerToken(caller)?.identity ?? caller.id,
          });
        } catch (err) {
          reply.header('retry-after', String((err as HushError).details?.['retryAfterSeconds'] ?? 1));
          throw err;
        }
      },
    );
    app.post<{ Body: { session: string; digests: string[] } }>(
      '/v1/sys/known-secrets/match',
      {
        schema: {
          summary: 'Which salted digests are stored values (readable paths only)',
          tags: ['sys'],
          body: matchBody,
          response: undeclaredResponse,
        },
        config: { requireUnsealed: true, auth: routeAuth.token, operation: 'sys.known-secrets.match' },
      },
      async (request) => {
        const caller = callerOf(request);
        const matches = await sessions.match({
          session: request.body.session,
          callerId: holderOf(caller),
          digests: request.body.digests,
          readable: async () => {
            const policies = await policiesFor(caller);
            const at = new Date(now());
            // A read a rule guards with approvals is no read without one: a match would confirm its value.
            return (paths) =>
              filterReadable(policies, paths, at).filter(
                (p) => requiredApprovals(policies, p, 'read', at) === 0,
              );
          },
        });
        // Canaries are told apart only for digests the caller sent, and only to a caller given `read` on
        // sys/canaries (the scanning job): any other token holder could otherwise ask, of every `hush_` token it
        // finds, whether it is a canary before using it.
        const salt =
          deps.canaries && evaluate(await policiesFor(caller), CANARIES_PATH, 'read', new Date(now())).allowed
            ? sessions.saltOf(request.body.session, holderOf(caller))
            : undefined;
        const planted = salt && deps.canaries ? await deps.canaries.saltedDigests(salt) : new Set<string>();
        const canaries = request.body.digests.filter((d) => planted.has(d));
        request.auditDetails = { candidates: request.body.digests.length, matched: matches.length };
        return { matches, ...(canaries.length > 0 ? { canaries } : {}) };
      },
    );
  };
}
