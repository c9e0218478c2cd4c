import { randomBytes } from 'node:crypto';
import type { Alert, AlertSeverity } from '../core/alerts/alert.js';
import { optionalFields } from '../core/alerts/alert.js';
import type { AlertsConfig } from '../core/alerts/alerts-config.js';
import { createCooldown } from '../core/alerts/cooldown.js';
import { createRuleSet } from '../core/alerts/rule-set.js';
import type { AuditRecord } from '../core/audit/audit-record.js';
import { createAlertBuffer } from './alert-buffer.js';
import type { AlertLogger } from './alert-logger.js';
import type { AlertState } from './alert-state.js';
import { persistSeenPairs } from './seen-pairs-file.js';
import { createWebhookDelivery, type WebhookDelivery, type WebhookStats } from './webhook-delivery.js';
import { checkWebhookUrl, readWebhookSecret } from './webhook-target.js';

/** What alerting is built from. */
export interface AlertingDeps {
  /** The parsed `alerts` config section (`alertsConfigSchema.parse(...)`). */
  readonly config: AlertsConfig;
  /** The server's pino logger (or any logger with info/warn/error). */
  readonly logger: AlertLogger;
  /** Clock for externally raised alerts without a time and for webhook timestamps (default: system clock). */
  readonly now?: () => Date;
  /** Where armed cool-downs are kept across restarts and leader changes (the server: the store); default memory. */
  readonly state?: AlertState;
}

/** An alert raised by another part of Hush (e.g. a failed rotation). */
export interface AlertInput {
  readonly rule: string;
  readonly message: string;
  readonly severity?: AlertSeverity;
  readonly time?: string;
  readonly identity?: string;
  readonly sourceAddress?: string;
  readonly path?: string;
  readonly count?: number;
  /** Suppression key (default rule + identity + path). */
  readonly key?: string;
  /** Suppress repeats of `key` for this long (default 600; 0 = never suppress). */
  readonly cooldownSeconds?: number;
}

/** The running alerting engine. */
export interface Alerting {
  /** Subscribe this to the audit log: evaluate the rules on one durable record. Never throws. */
  onAuditRecord(record: AuditRecord): void;
  /** The kept alerts (bounded ring), oldest first. */
  alerts(): Alert[];
  /** Raise an alert from outside the rules; returns it, or undefined while its key is cooling down. */
  raise(input: AlertInput): Alert | undefined;
  /** Delivery counters per configured webhook (same order as the config). */
  webhookStats(): WebhookStats[];
  /** Resolves when every webhook queue is empty (tests, shutdown). */
  idle(): Promise<void>;
  /** Arm the cool-downs kept in `state` (call once unsealed); a failure is logged and memory carries on. */
  restore(): Promise<void>;
  /** Stop webhook delivery and flush persisted state. */
  close(): Promise<void>;
}

const DEFAULT_EXTERNAL_COOLDOWN_S = 600;

/**
 * Build the alerting engine: rules over the audit stream, delivery to the log, an in-memory ring (for
 * `GET /v1/sys/alerts`) and signed webhooks. Reads webhook secret files now: HUSH_E_CONFIG when one is missing or
 * short, or a URL is neither HTTPS nor loopback HTTP.
 *
 * @example
 * const alerting = createAlerting({ config: alertsConfigSchema.parse(raw.alerts ?? {}), logger: app.log });
 * const unsubscribe = auditLog.subscribe((r) => alerting.onAuditRecord(r));
 */
export function createAlerting(deps: AlertingDeps): Alerting {
  const { config, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const rules = createRuleSet(config.rules);
  const buffer = createAlertBuffer(config.bufferSize);
  const state = deps.state;
  const externalCooldown = createCooldown(
    10_000,
    state ? (key, until) => state.armed(key, until) : undefined,
  );
  const hooks: WebhookDelivery[] = config.webhooks.map((w) =>
    createWebhookDelivery({
      url: checkWebhookUrl(w.url),
      secret: readWebhookSecret(w.secretFile),
      timeoutMs: w.timeoutMs,
      maxAttempts: w.maxAttempts,
      queueSize: config.webhookQueueSize,
      backoffMs: config.webhookBackoffMs,
      logger,
      now: () => now().getTime(),
    }),
  );
  const stateFile = config.rules.productionAccess.stateFile;
  const persisted =
    stateFile && rules.productionAccess
      ? persistSeenPairs(rules.productionAccess.seen, stateFile, logger)
      : undefined;

  function emit(alert: Alert): void {
    buffer.push(alert);
    const level = alert.severity === 'critical' ? 'error' : alert.severity === 'warning' ? 'warn' : 'info';
    logger[level]({ alert }, `security alert (${alert.rule}): ${alert.message}`);
    for (const hook of hooks) hook.enqueue(alert);
  }
  const newId = () => randomBytes(12).toString('hex');

  return {
    onAuditRecord(record) {
      if (!config.enabled) return;
      try {
        for (const { key: _key, ...draft } of rules.evaluate(record)) emit({ id: newId(), ...draft });
      } catch (err) {
        // A rule's bug must never fail the audited request; say so once per record without record content.
        logger.error(
          { seq: record.seq, error: err instanceof Error ? err.message : String(err) },
          'alert rule failed',
        );
      }
    },
    alerts: () => buffer.list(),
    raise(input) {
      if (!config.enabled) return undefined;
      const time = input.time ?? now().toISOString();
      const key = input.key ?? `${input.rule}:${input.identity ?? ''}:${input.path ?? ''}`;
      const cooldownMs = (input.cooldownSeconds ?? DEFAULT_EXTERNAL_COOLDOWN_S) * 1000;
      if (cooldownMs > 0 && !externalCooldown.admit(key, Date.parse(time) || 0, cooldownMs)) return undefined;
      const alert: Alert = {
        id: newId(),
        rule: input.rule,
        severity: input.severity ?? 'warning',
        time,
        ...optionalFields(input),
        message: input.message,
      };
      emit(alert);
      return alert;
    },
    async restore() {
      if (!state) return;
      try {
        for (const { key, until } of await state.load(now().getTime())) externalCooldown.restore(key, until);
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        logger.warn(
          { code: typeof code === 'string' ? code : 'error' },
          'stored alert cool-downs not loaded',
        );
      }
    },
    webhookStats: () => hooks.map((h) => h.stats()),
    async idle() {
      await Promise.all(hooks.map((h) => h.idle()));
    },
    async close() {
      await Promise.all(hooks.map((h) => h.close()));
      await persisted?.flush();
      await state?.flush();
    },
  };
}
