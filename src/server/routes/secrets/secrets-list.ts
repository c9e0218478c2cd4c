import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { undeclaredResponse } from '../../../api/contract.js';
import { canListPrefix, filterReadable } from '../../../core/policy/index.js';
import { callerToken } from '../../../identity/server-auth.js';
import type { ListEntry } from '../../../store/index.js';
import type {} from '../../plugins/audit.js';
import { routeAuth } from '../../route-config.js';
import type { SecretsRouteDeps } from './secrets-deps.js';
import { callerOf, prefixFrom } from './secrets-request.js';
import { flag, listQuerySchema } from './secrets-schemas.js';

/** The query of a list page. */
export interface ListQuery {
  recursive?: string;
  cursor?: string;
  limit?: string;
}

/**
 * One page of the names below `prefix` that the caller may see (the rule below), for `GET /v1/list/...` and the
 * Vault-compatible KV v2 list.
 */
export async function listVisiblePage(
  deps: SecretsRouteDeps,
  request: FastifyRequest,
  prefix: string,
  query: ListQuery,
): Promise<{ prefix: string; entries: ListEntry[]; cursor?: string }> {
  const now = deps.now ?? (() => new Date());
  const { recursive, cursor, limit } = query;
  const caller = callerOf(request);
  // Bound to the token (two tokens of one identity may hold different policies), else to the caller.
  const binding = {
    callerId: callerToken(caller)?.accessor ?? caller.id,
    prefix,
    recursive: flag(recursive),
  };
  const policies = await deps.callerPolicies.policiesFor(caller);
  const at = now();
  const position = cursor !== undefined ? await deps.listCursors.open(cursor, binding) : undefined;
  // Nothing beneath the prefix can be visible: answer at once, without scanning it, so neither the time taken nor
  // a scan-budget cursor says how many hidden names lie there.
  if (prefix !== '' && !canListPrefix(policies, prefix, at)) {
    request.auditDetails = { shown: 0, hidden: 0 };
    return { prefix, entries: [] };
  }
  let hidden = 0;
  const visible = (e: ListEntry): boolean => {
    const shown =
      e.kind === 'secret'
        ? filterReadable(policies, [e.path], at).length === 1
        : canListPrefix(policies, e.path.replace(/\/$/, ''), at);
    if (!shown) hidden += 1;
    return shown;
  };
  const page = await deps.store.list(prefix, {
    recursive: binding.recursive,
    accept: visible,
    ...(position !== undefined ? { cursor: position } : {}),
    ...(limit !== undefined ? { limit: Number(limit) } : {}),
  });
  request.auditDetails = { shown: page.entries.length, hidden };
  const next = page.cursor !== undefined ? await deps.listCursors.seal(page.cursor, binding) : undefined;
  return { prefix, entries: page.entries, ...(next !== undefined ? { cursor: next } : {}) };
}

/**
 * GET /v1/list/<prefix> (and GET /v1/list for projects): one page of names, filtered to what the caller may see —
 * secrets it may `read` (filterReadable) and folders under which some rule could grant read/list (canListPrefix).
 * The store fills the page with visible entries only, and the cursor is sealed (bound to caller, prefix and mode),
 * so neither the entries, their count nor the cursor tells a caller anything about names it may not see.
 */
export function secretsListRoutes(deps: SecretsRouteDeps): FastifyPluginAsync {
  const list = async (request: FastifyRequest<{ Querystring: ListQuery }>) =>
    listVisiblePage(deps, request, prefixFrom(request, '/v1/list/', true), request.query);
  return async (app) => {
    const options = {
      schema: {
        summary: 'List names below a prefix (filtered to what the caller may read)',
        tags: ['secrets'],
        querystring: listQuerySchema,
        response: undeclaredResponse,
      },
      config: { requireUnsealed: true, auth: routeAuth.token, operation: 'secrets.list' } as const,
    };
    app.get<{ Querystring: ListQuery }>('/v1/list', options, list);
    app.get<{ Querystring: ListQuery }>('/v1/list/*', options, list);
  };
}
