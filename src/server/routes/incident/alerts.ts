import type { FastifyPluginAsync } from 'fastify';
import type { Alerting } from '../../../alerts/create-alerting.js';
import { ALERT_SEVERITIES } from '../../../core/alerts/alert.js';
import type {} from '../../plugins/audit.js';
import { routeAuth } from '../../route-config.js';

/** What the alerts route needs: the running alerting engine's kept alerts. */
export interface AlertsRouteDeps {
  readonly alerting: Pick<Alerting, 'alerts'>;
}

const alertSchema = {
  type: 'object',
  required: ['id', 'rule', 'severity', 'time', 'message'],
  additionalProperties: false,
  properties: {
    id: { type: 'string' },
    rule: { type: 'string' },
    severity: { type: 'string', enum: [...ALERT_SEVERITIES] },
    time: { type: 'string' },
    identity: { type: 'string' },
    sourceAddress: { type: 'string' },
    path: { type: 'string' },
    count: { type: 'integer' },
    message: { type: 'string' },
  },
} as const;

const querySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: { type: 'string', pattern: '^[1-9][0-9]{0,5}$' },
    rule: { type: 'string', maxLength: 64 },
  },
} as const;

/**
 * `GET /v1/sys/alerts[?limit=N&rule=R]` -> `{ alerts: [...] }`, newest first: the alerts kept in this server's
 * memory (a bounded ring). Needs `sudo` (policies: `admin`) on `sys/alerts`: alerts name identities, addresses
 * and paths.
 */
export function alertsRoutes(deps: AlertsRouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: { limit?: string; rule?: string } }>(
      '/v1/sys/alerts',
      {
        schema: {
          summary: 'List recent security alerts (newest first)',
          tags: ['sys'],
          querystring: querySchema,
          response: {
            200: {
              type: 'object',
              required: ['alerts'],
              additionalProperties: false,
              properties: { alerts: { type: 'array', items: alertSchema } },
            },
          },
        },
        config: {
          requireUnsealed: true,
          operation: 'sys.alerts.list',
          auth: routeAuth.fixed('sys/alerts', 'sudo'),
        },
      },
      async (request) => {
        request.auditPath = 'sys/alerts';
        const { limit, rule } = request.query;
        const newest = deps.alerting
          .alerts()
          .filter((a) => rule === undefined || a.rule === rule)
          .reverse();
        const shown = limit === undefined ? newest : newest.slice(0, Number(limit));
        request.auditDetails = { shown: shown.length };
        return { alerts: shown };
      },
    );
  };
}
