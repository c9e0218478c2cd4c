import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { canListPrefix, filterReadable } from '../../core/policy/index.js';
import type { ListEntry } from '../../store/index.js';
import type {} from '../plugins/audit.js';
import type {} from '../route-config.js';
import type { SecretsRouteDeps } from './secrets-deps.js';
import { callerOf, prefixFrom } from './secrets-request.js';
import { flag, listQuerySchema } from './secrets-schemas.js';

interface ListQuery {
  recursive?: string;
  cursor?: string;
  limit?: string;
}

/**
 * GET /v1/list/<prefix> (and GET /v1/list for projects): one page of names, filtered to what the caller may see —
 * secrets it may `read` (filterReadable) and folders under which some rule could grant read/list (canListPrefix).
 * Filtering happens after paging, so a page may hold fewer than `limit` entries while `cursor` says more follow.
 */
export function secretsListRoutes(deps: SecretsRouteDeps): FastifyPluginAsync {
  const now = deps.now ?? (() => new Date());
  const list = async (request: FastifyRequest<{ Querystring: ListQuery }>) => {
    const prefix = prefixFrom(request, '/v1/list/', true);
    const { recursive, cursor, limit } = request.query;
    const page = await deps.store.list(prefix, {
      recursive: flag(recursive),
      ...(cursor !== undefined ? { cursor } : {}),
      ...(limit !== undefined ? { limit: Number(limit) } : {}),
    });
    const policies = await deps.callerPolicies.policiesFor(callerOf(request));
    const at = now();
    const readable = new Set(
      filterReadable(
        policies,
        page.entries.filter((e) => e.kind === 'secret').map((e) => e.path),
        at,
      ),
    );
    const visible = (e: ListEntry): boolean =>
      e.kind === 'secret' ? readable.has(e.path) : canListPrefix(policies, e.path.replace(/\/$/, ''), at);
    const entries = page.entries.filter(visible);
    request.auditDetails = { shown: entries.length, hidden: page.entries.length - entries.length };
    return { prefix, entries, ...(page.cursor !== undefined ? { cursor: page.cursor } : {}) };
  };
  return async (app) => {
    const options = {
      schema: {
        summary: 'List names below a prefix (filtered to what the caller may read)',
        tags: ['secrets'],
        querystring: listQuerySchema,
      },
      config: { requireUnsealed: true, auth: true, operation: 'secrets.list' } as const,
    };
    app.get<{ Querystring: ListQuery }>('/v1/list', options, list);
    app.get<{ Querystring: ListQuery }>('/v1/list/*', options, list);
  };
}
