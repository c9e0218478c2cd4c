import type { AuditRecord } from '../audit/audit-record.js';

/** How urgent an alert is. */
export const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const;
/** `info`: worth a look; `warning`: likely misuse; `critical`: act now. */
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** One raised alert, as logged, listed by `GET /v1/sys/alerts` and posted to webhooks. Never holds a value or token. */
export interface Alert {
  /** Random id (hex), unique per raised alert. */
  readonly id: string;
  /** The rule that raised it, e.g. `denial-burst`, or the external source, e.g. `rotation-failure`. */
  readonly rule: string;
  readonly severity: AlertSeverity;
  /** ISO-8601 UTC instant of the event that triggered it. */
  readonly time: string;
  readonly identity?: string;
  readonly sourceAddress?: string;
  readonly path?: string;
  /** How many events the rule counted (in its window), when it counts. */
  readonly count?: number;
  /** One line for a human: what was seen and against which threshold. */
  readonly message: string;
}

/** What a rule proposes: an alert without its id, plus the suppression key (same key = same storm). */
export type AlertDraft = Omit<Alert, 'id'> & { readonly key: string };

/** A rule over the audit stream. Rules keep their own bounded state and use record time, so a replay is exact. */
export interface AlertRule {
  readonly name: string;
  /** Look at one durable audit record; return the alerts it triggers (usually none). */
  evaluate(record: AuditRecord): AlertDraft[];
}

let lastTimeText: string | undefined;
let lastTime = 0;

/** The record time in ms since the epoch (NaN-safe: an unparsable time counts as 0, which windows ignore). */
export function recordTime(record: Pick<AuditRecord, 'time'>): number {
  // Every rule asks for the time of the same record in turn: parse each distinct time string once.
  if (record.time === lastTimeText) return lastTime;
  const t = Date.parse(record.time);
  lastTimeText = record.time;
  lastTime = Number.isFinite(t) ? t : 0;
  return lastTime;
}

/** Copy only the optional fields that are present (exactOptionalPropertyTypes-friendly). */
export function optionalFields(fields: {
  identity?: string | null | undefined;
  sourceAddress?: string | null | undefined;
  path?: string | null | undefined;
  count?: number | undefined;
}): Pick<Alert, 'identity' | 'sourceAddress' | 'path' | 'count'> {
  return {
    ...(fields.identity ? { identity: fields.identity } : {}),
    ...(fields.sourceAddress ? { sourceAddress: fields.sourceAddress } : {}),
    ...(fields.path ? { path: fields.path } : {}),
    ...(fields.count !== undefined ? { count: fields.count } : {}),
  };
}
