import type { AuditRecord } from '../audit/audit-record.js';
import { type AlertDraft, type AlertRule, optionalFields, recordTime } from './alert.js';
import { type AlertRulesConfig, WEEKDAYS } from './alerts-config.js';
import { pathMatcher } from './path-matcher.js';

type HoursWindow = AlertRulesConfig['offHours']['windows'][number];

/** Local weekday and hour of `t` in `timezone` (formatters are cached: building one is slow). */
export function localDayHour(
  formatters: Map<string, Intl.DateTimeFormat>,
  timezone: string,
  t: number,
): { day: (typeof WEEKDAYS)[number]; hour: number } {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      weekday: 'short',
      hour: 'numeric',
      hourCycle: 'h23',
    });
    formatters.set(timezone, f);
  }
  const parts = f.formatToParts(new Date(t));
  const weekday = (parts.find((p) => p.type === 'weekday')?.value ?? 'Sun').slice(0, 3).toLowerCase();
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0) % 24;
  const day = WEEKDAYS.find((d) => d === weekday) ?? 'sun';
  return { day, hour };
}

/** True when local (day, hour) is inside the window's allowed days and hours (start > end spans midnight). */
export function withinHours(w: HoursWindow, day: (typeof WEEKDAYS)[number], hour: number): boolean {
  if (!w.days.includes(day)) return false;
  return w.startHour < w.endHour
    ? hour >= w.startHour && hour < w.endHour
    : hour >= w.startHour || hour < w.endHour;
}

/**
 * (e) Access outside configured hours: an allowed operation on a path matched by a window's globs, at a local time
 * (the window's time zone) outside its days and hours. The first matching window decides.
 */
export function offHoursRule(config: AlertRulesConfig['offHours']): AlertRule {
  const windows = config.windows.map((w) => ({ w, matches: pathMatcher(w.paths) }));
  const formatters = new Map<string, Intl.DateTimeFormat>();
  return {
    name: 'off-hours',
    evaluate(record: AuditRecord): AlertDraft[] {
      if (record.outcome !== 'allowed' || !record.path) return [];
      const path = record.path;
      const hit = windows.find((x) => x.matches(path));
      if (!hit) return [];
      const { day, hour } = localDayHour(formatters, hit.w.timezone, recordTime(record));
      if (withinHours(hit.w, day, hour)) return [];
      const who = record.identity ?? record.sourceAddress ?? 'anonymous';
      return [
        {
          key: `off-hours:${who}:${hit.w.paths.join(',')}`,
          rule: 'off-hours',
          severity: config.severity,
          time: record.time,
          ...optionalFields({ identity: record.identity, sourceAddress: record.sourceAddress, path }),
          message: `${who} accessed ${path} on ${day} at ${String(hour).padStart(2, '0')}h ${hit.w.timezone}, outside ${hit.w.days.join(',')} ${hit.w.startHour}-${hit.w.endHour}h`,
        },
      ];
    },
  };
}
