import { z } from 'zod';
import { globProblem } from '../policy/path-glob.js';
import { ALERT_SEVERITIES } from './alert.js';

const seconds = (def: number) =>
  z
    .number()
    .int()
    .positive()
    .max(31 * 86_400)
    .default(def);
const count = (def: number) => z.number().int().positive().max(1_000_000).default(def);
const severity = (def: (typeof ALERT_SEVERITIES)[number]) => z.enum(ALERT_SEVERITIES).default(def);
const glob = z.string().superRefine((g, ctx) => {
  const problem = globProblem(g);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
const timezone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not an IANA time zone; use e.g. "Europe/Paris" or "UTC"' },
);
/** Day names accepted in business-hours windows. */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** Fields every rule has: on/off, cool-down between repeats of one alert key, severity. */
const common = (cooldown: number, sev: (typeof ALERT_SEVERITIES)[number]) => ({
  enabled: z.boolean().default(true),
  cooldownSeconds: seconds(cooldown),
  severity: severity(sev),
});

const denialBurst = z.strictObject({
  ...common(600, 'warning'),
  /** Denials from one identity (or one source address) within the window that raise an alert. */
  threshold: count(10),
  windowSeconds: seconds(60),
});

const bulkRead = z.strictObject({
  ...common(900, 'critical'),
  /** Operations that count as reading a secret. */
  operations: z.array(z.string().min(1)).min(1).default(['secrets.read']),
  windowSeconds: seconds(300),
  /** Never alert below this many distinct secrets per window (so a new identity is not flagged on first reads). */
  floor: count(25),
  /** Alert when the window's distinct reads exceed `multiplier` x the identity's usual (EWMA) per-window rate. */
  multiplier: z.number().positive().max(1000).default(4),
  /** Alert at this many distinct secrets per window whatever the baseline. */
  absoluteCap: count(200),
  /** EWMA smoothing per window (0..1]: higher follows recent behaviour faster. */
  alpha: z.number().positive().max(1).default(0.2),
  maxIdentities: count(10_000),
});

const productionAccess = z.strictObject({
  ...common(3600, 'warning'),
  /** Policy-style globs of production paths. */
  globs: z.array(glob).default(['*/prod/**', '*/production/**']),
  /** (identity, path) pairs remembered; the least recently seen are forgotten past this bound. */
  maxRemembered: count(50_000),
  /** File (mode 0600) where remembered pairs survive restarts; without it they are rebuilt from live traffic. */
  stateFile: z.string().min(1).optional(),
});

const tokenMisuse = z.strictObject({ ...common(600, 'warning') });

const hoursWindow = z
  .strictObject({
    /** Paths the window applies to. */
    paths: z.array(glob).min(1),
    timezone: timezone.default('UTC'),
    days: z.array(z.enum(WEEKDAYS)).min(1).default(['mon', 'tue', 'wed', 'thu', 'fri']),
    /** Allowed hours, local time: from `startHour` (inclusive) to `endHour` (exclusive); start > end spans midnight. */
    startHour: z.number().int().min(0).max(23).default(8),
    endHour: z.number().int().min(1).max(24).default(19),
  })
  .refine((w) => w.startHour !== w.endHour, { message: 'startHour and endHour must differ' });

const offHours = z.strictObject({
  ...common(3600, 'info'),
  windows: z.array(hoursWindow).default([]),
});

const loginBruteForce = z.strictObject({
  ...common(900, 'critical'),
  /** Failed logins per source address, or per role/identity, within the window that raise an alert. */
  threshold: count(5),
  windowSeconds: seconds(300),
});

const decryptBurst = z.strictObject({
  ...common(900, 'warning'),
  /** Transit operations that count (each batch item counts once). */
  operations: z.array(z.string().min(1)).min(1).default(['transit.decrypt']),
  /** Items one identity may decrypt with one transit key within the window; one more raises the alert. */
  threshold: count(1000),
  windowSeconds: seconds(60),
  /** (identity, key) pairs tracked; the least recently seen are forgotten past this bound. */
  maxKeys: count(20_000),
});

const webhook = z.strictObject({
  /** HTTPS, or HTTP to a loopback address only. */
  url: z.string().url(),
  /** File holding the HMAC secret (>= 16 bytes after trimming); the secret is never logged. */
  secretFile: z.string().min(1),
  timeoutMs: z.number().int().positive().max(120_000).default(5000),
  maxAttempts: z.number().int().min(1).max(20).default(5),
});

const expiry = z.strictObject({
  enabled: z.boolean().default(true),
  /** Alert when a secret expires within this many days (and again when it has expired). */
  leadTimeDays: z.number().positive().max(3650).default(14),
  /** Extra, nearer reminder stages in days (e.g. [3, 1]); each stage alerts once per secret. */
  reminderDays: z.array(z.number().positive().max(3650)).max(10).default([]),
  intervalSeconds: seconds(3600),
});

/** The `alerts` section of the server config (strict: unknown keys are errors). */
export const alertsConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Alerts kept in memory for `GET /v1/sys/alerts`. */
  bufferSize: z.number().int().min(1).max(100_000).default(1000),
  rules: z
    .strictObject({
      denialBurst: denialBurst.prefault({}),
      bulkRead: bulkRead.prefault({}),
      productionAccess: productionAccess.prefault({}),
      tokenMisuse: tokenMisuse.prefault({}),
      offHours: offHours.prefault({}),
      loginBruteForce: loginBruteForce.prefault({}),
      decryptBurst: decryptBurst.prefault({}),
    })
    .prefault({}),
  webhooks: z.array(webhook).max(20).default([]),
  /** Alerts waiting per webhook; past it the oldest is dropped (and counted). */
  webhookQueueSize: z.number().int().min(1).max(100_000).default(1000),
  /** First retry delay; doubles per attempt, with jitter, capped at 5 minutes. */
  webhookBackoffMs: z.number().int().min(1).max(300_000).default(1000),
  expiry: expiry.prefault({}),
});

/** The validated alerts config. */
export type AlertsConfig = z.infer<typeof alertsConfigSchema>;
/** The alerts config as written (defaults optional). */
export type AlertsConfigInput = z.input<typeof alertsConfigSchema>;
/** Config of the rules only. */
export type AlertRulesConfig = AlertsConfig['rules'];
