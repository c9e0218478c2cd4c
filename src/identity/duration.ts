import { hushError } from '../core/errors/index.js';

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^(\d{1,9})(s|m|h|d)$/;

/** JSON schema of a duration string (shared by the route schemas). */
export const durationSchema = { type: 'string', pattern: '^[0-9]{1,9}(s|m|h|d)$' } as const;

/**
 * Parse a duration such as `90s`, `30m`, `1h`, `7d` into milliseconds. `field` names the setting in the error.
 *
 * @example
 * parseDuration('1h', 'ttl'); // 3_600_000
 */
export function parseDuration(text: string, field: string): number {
  const m = DURATION.exec(text);
  if (!m) {
    throw hushError('DURATION_INVALID', { field, text: text.slice(0, 32) });
  }
  const ms = Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  if (ms <= 0) throw hushError('DURATION_NOT_POSITIVE', { field, text });
  return ms;
}

/** Format milliseconds as the largest exact unit (`3600000` -> `1h`), for replies and CLI output. */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm'] as const)
    if (ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  return `${Math.round(ms / 1000)}s`;
}
