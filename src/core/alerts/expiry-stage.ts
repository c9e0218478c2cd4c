const DAY_MS = 86_400_000;

/** One expiry stage a secret can be in: within N days of expiry, or expired. */
export interface ExpiryStage {
  /** Higher = nearer expiry; the expired stage is the highest. */
  readonly rank: number;
  /** `expiring-14d`, `expiring-1d`, `expired`. */
  readonly label: string;
  readonly expired: boolean;
}

/**
 * The stage a secret expiring at `expiresAtMs` is in at `nowMs`, given lead times in days (the configured lead time
 * plus nearer reminders), or undefined when it is further out than the longest lead time.
 *
 * @example
 * expiryStage(Date.parse('2027-01-10'), Date.parse('2027-01-01'), [14, 3]); // { rank: 1, label: 'expiring-14d', ... }
 */
export function expiryStage(
  expiresAtMs: number,
  nowMs: number,
  leadDays: readonly number[],
): ExpiryStage | undefined {
  if (nowMs >= expiresAtMs) return { rank: leadDays.length + 1, label: 'expired', expired: true };
  const sorted = [...new Set(leadDays)].sort((a, b) => b - a);
  let found: ExpiryStage | undefined;
  sorted.forEach((days, i) => {
    if (expiresAtMs - nowMs <= days * DAY_MS)
      found = { rank: i + 1, label: `expiring-${days}d`, expired: false };
  });
  return found;
}
