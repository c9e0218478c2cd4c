import { hushError } from '../errors/index.js';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A point in time for audit queries: ISO-8601 (`2026-06-01T12:00:00Z`) or a duration before `now` (`90s`, `30m`,
 * `1h`, `7d`). HUSH_E_USAGE naming `flag` otherwise.
 */
export function parseWhen(text: string, flag: string, now: Date): Date {
  const rel = /^(\d+)([smhd])$/.exec(text);
  // A duration reaching past the calendar's range (999999999d) is an Invalid Date: refused like any bad text, not
  // handed on to bound a search or a replay with NaN (which bounds nothing) or to fail later as a 500.
  const t = rel
    ? new Date(now.getTime() - Number(rel[1]) * (UNIT_MS[rel[2] as string] ?? 0)).getTime()
    : /^\d{4}-\d{2}-\d{2}/.test(text)
      ? Date.parse(text)
      : Number.NaN;
  if (Number.isNaN(t)) {
    throw hushError('TIME_OR_DURATION_AGO_EXPECTED', { flag, text: text.slice(0, 64) });
  }
  return new Date(t);
}
