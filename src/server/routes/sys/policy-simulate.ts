import type { FastifyPluginAsync } from 'fastify';
import { parseWhen } from '../../../core/audit/parse-when.js';
import { checkPolicyName } from '../../../core/policy/policy-schema.js';
import { hideUnreadableRules, policiesShownBy } from '../../../core/policy/simulate-policy.js';
import type { PolicySimulator } from '../../../identity/policy-simulator.js';
import { checkerOf, routeAuth } from '../../route-config.js';
import { ruleRef } from '../auth/auth-schemas.js';

/** What the simulate route needs: the simulator (audit trail + policies) and the server clock. */
export interface PolicySimulateDeps {
  readonly simulator: PolicySimulator;
  readonly clock: () => Date;
}

interface SimulateBody {
  name: string;
  policy: string | Record<string, unknown>;
  since: string;
  until?: string;
}

const WHEN = {
  type: 'string',
  minLength: 1,
  maxLength: 64,
  description: 'ISO-8601 instant or a duration ago (7d)',
};

const simulateBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'policy', 'since'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 64 },
    policy: {
      description: 'the draft: a policy document, or its YAML/JSON text',
      anyOf: [{ type: 'string', maxLength: 256 * 1024 }, { type: 'object' }],
    },
    since: WHEN,
    until: WHEN,
  },
} as const;

const verdict = {
  type: 'object',
  additionalProperties: false,
  required: ['allowed', 'reason'],
  properties: { allowed: { type: 'boolean' }, reason: { type: 'string' }, rule: ruleRef },
} as const;

const simulateReply = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string' },
    since: { type: 'string' },
    until: { type: 'string' },
    scanned: { type: 'integer' },
    skipped: { type: 'integer' },
    truncated: { type: 'boolean' },
    counts: {
      type: 'object',
      additionalProperties: false,
      properties: {
        evaluated: { type: 'integer' },
        affected: { type: 'integer' },
        nowDenied: { type: 'integer' },
        nowAllowed: { type: 'integer' },
        currentPolicies: { type: 'integer' },
      },
    },
    flips: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          time: { type: 'string' },
          requestId: { type: 'string' },
          identity: { type: ['string', 'null'] },
          accessor: { type: ['string', 'null'] },
          operation: { type: 'string' },
          path: { type: 'string' },
          capability: { type: 'string' },
          before: verdict,
          after: verdict,
          policiesAsOf: { type: 'string', enum: ['record', 'current'] },
        },
      },
    },
  },
} as const;

/**
 * `POST /v1/sys/policies/simulate`: replay the audit trail of a period against a draft of policy `name` and list
 * the past requests that would flip. It reads the trail (`read` on `sys/audit`) and the policies (`list` on
 * `sys/policies`, `read` on `sys/policies/<name>`); a flip decided by another policy's rule shows that rule only to a
 * caller who may read that policy. Nothing is written but the request's own audit record.
 */
export function policySimulateRoutes(deps: PolicySimulateDeps): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: SimulateBody }>(
      '/v1/sys/policies/simulate',
      {
        schema: {
          summary:
            'Replay the audit trail of a period against a draft policy; list the requests that would flip',
          tags: ['sys'],
          body: simulateBody,
          response: { 200: simulateReply },
        },
        config: {
          requireUnsealed: true,
          operation: 'sys.policies.simulate',
          auth: routeAuth.fixed('sys/audit', 'read', 'list', 'read'),
        },
      },
      async (request) => {
        const b = request.body;
        checkPolicyName(b.name);
        const checker = checkerOf(request);
        await checker.require('sys/policies', 'list');
        await checker.require(`sys/policies/${b.name}`, 'read');
        request.auditPath = `sys/policies/${b.name}`;
        const now = deps.clock();
        const report = await deps.simulator.simulate({
          name: b.name,
          policy: b.policy,
          since: parseWhen(b.since, 'since', now),
          ...(b.until !== undefined ? { until: parseWhen(b.until, 'until', now) } : {}),
        });
        // A flip may be decided by another policy the token held: its rules are shown only to who may read it.
        const readable = new Set<string>([b.name]);
        const named = new Set(report.flips.flatMap((f) => [f.before, f.after].flatMap(policiesShownBy)));
        for (const p of named) {
          if (!readable.has(p) && (await checker.mayUseFreely(`sys/policies/${p}`, 'read'))) readable.add(p);
        }
        return { ...report, flips: hideUnreadableRules(report.flips, (p) => readable.has(p)) };
      },
    );
  };
}
