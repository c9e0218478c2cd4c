import type { FastifyPluginAsync } from 'fastify';
import { undeclaredResponse } from '../../../api/contract.js';
import { hushError } from '../../../core/errors/index.js';
import type { IdentityServices, StoredToken } from '../../../identity/index.js';
import { checkerOf, routeAuth } from '../../route-config.js';
import { authorized, derived, type NameRequest, requestToken } from '../auth-helpers.js';
import { explainBody, nameParams, policyBody, ruleRef } from './auth-schemas.js';

const tags = ['sys'];

const explainReply = {
  type: 'object',
  additionalProperties: false,
  properties: {
    accessor: { type: 'string' },
    policies: { type: 'array', items: { type: 'string' } },
    path: { type: 'string' },
    capability: { type: 'string' },
    decision: {
      type: 'object',
      properties: {
        allowed: { type: 'boolean' },
        basis: { type: 'string' },
        reason: { type: 'string' },
        matchedRule: ruleRef,
      },
    },
    rules: {
      type: 'array',
      items: {
        type: 'object',
        properties: { ...ruleRef.properties, outcome: { type: 'string' }, why: { type: 'string' } },
      },
    },
  },
} as const;

interface ExplainBody {
  token?: string;
  accessor?: string;
  path: string;
  capability: string;
}

/**
 * Policy endpoints: write/read/delete need `update`/`read`/`delete` on `sys/policies/<name>`, listing `list` on
 * `sys/policies`. Explaining the caller's own decision needs only a token; explaining another token's needs `read`
 * on `sys/policies/explain`.
 */
export function policyRoutes(services: IdentityServices): FastifyPluginAsync {
  const { policies, tokens, access } = services;
  return async (app) => {
    app.get(
      '/v1/sys/policies',
      {
        schema: {
          summary: 'List policy names',
          tags,
          response: {
            200: {
              type: 'object',
              additionalProperties: false,
              properties: { policies: { type: 'array', items: { type: 'string' } } },
            },
          },
        },
        config: authorized('sys/policies', 'list'),
      },
      async () => ({ policies: await policies.list() }),
    );

    app.put<{ Params: { name: string }; Body: Record<string, unknown> }>(
      '/v1/sys/policies/:name',
      {
        schema: {
          summary: 'Create or replace a policy',
          tags,
          params: nameParams,
          body: policyBody,
          response: undeclaredResponse,
        },
        config: derived('update', (r: NameRequest) => `sys/policies/${r.params.name}`),
      },
      async (request) => {
        const { name } = request.params;
        return policies.write(request.body, name);
      },
    );

    app.get<{ Params: { name: string } }>(
      '/v1/sys/policies/:name',
      {
        schema: { summary: 'Read a policy', tags, params: nameParams, response: undeclaredResponse },
        config: derived('read', (r: NameRequest) => `sys/policies/${r.params.name}`),
      },
      async (request) => {
        const { name } = request.params;
        return policies.read(name);
      },
    );

    app.delete<{ Params: { name: string } }>(
      '/v1/sys/policies/:name',
      {
        schema: { summary: 'Delete a policy', tags, params: nameParams, response: undeclaredResponse },
        config: derived('delete', (r: NameRequest) => `sys/policies/${r.params.name}`),
      },
      async (request, reply) => {
        const { name } = request.params;
        await policies.delete(name);
        return reply.code(204).send();
      },
    );

    app.post<{ Body: ExplainBody }>(
      '/v1/sys/policies/explain',
      {
        schema: {
          summary: 'Explain why a token is allowed or denied a capability',
          tags,
          body: explainBody,
          response: { 200: explainReply },
        },
        config: { requireUnsealed: true, auth: routeAuth.perItem('read') },
      },
      async (request) => {
        const b = request.body;
        let subject: StoredToken | undefined;
        if (b.token !== undefined || b.accessor !== undefined) {
          if (b.token !== undefined && b.accessor !== undefined) {
            throw hushError('GIVE_EITHER_TOKEN_ACCESSOR_NOT');
          }
          await checkerOf(request).require('sys/policies/explain', 'read');
          subject =
            b.token !== undefined
              ? await tokens.findByToken(b.token)
              : await tokens.findByAccessor(b.accessor ?? '');
          if (!subject) {
            throw hushError('NO_LIVE_TOKEN_MATCHES_REVOKED');
          }
        } else {
          subject = requestToken(request);
        }
        return access.explain(subject, b.path, b.capability);
      },
    );
  };
}
