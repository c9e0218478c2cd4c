import { hushError } from '../core/errors/index.js';

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000 };

/**
 * Parse `500ms`, `5s`, `2m` or a bare number of seconds into milliseconds, within [minMs, 1 hour].
 *
 * @example
 * parseDuration('5s', '--interval'); // 5000
 */
export function parseDuration(text: string, flag: string, minMs = 0): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  const ms = m ? Math.round(Number(m[1]) * (UNITS[m[2] ?? 's'] ?? 1000)) : Number.NaN;
  if (!Number.isFinite(ms) || ms < minMs || ms > 3_600_000) {
    throw hushError('EXPECTS_DURATION_LIKE_500MS_5S', { flag, minMs, text });
  }
  return ms;
}
