const DAY_MS = 86_400_000;

/**
 * Maximum validity of a publicly trusted TLS server certificate by issue date (CA/Browser Forum Baseline
 * Requirements): 825 days from 2018-03-01, 398 from 2020-09-01, then ballot SC-081v3: 200 days from 2026-03-15,
 * 100 from 2027-03-15 and 47 from 2029-03-15. Newest first.
 */
export const LIFETIME_CAPS: readonly { readonly from: string; readonly days: number }[] = [
  { from: '2029-03-15T00:00:00Z', days: 47 },
  { from: '2027-03-15T00:00:00Z', days: 100 },
  { from: '2026-03-15T00:00:00Z', days: 200 },
  { from: '2020-09-01T00:00:00Z', days: 398 },
  { from: '2018-03-01T00:00:00Z', days: 825 },
];

/** The cap in days in force for a certificate issued at `notBeforeMs`, or undefined before 2018-03-01. */
export function lifetimeCapDays(notBeforeMs: number): number | undefined {
  return LIFETIME_CAPS.find((c) => notBeforeMs >= Date.parse(c.from))?.days;
}

/**
 * Validity in days as the Baseline Requirements count it: notAfter - notBefore, inclusive of the last second
 * (RFC 5280 bounds are inclusive), so a 398-day certificate is 398 * 86400 seconds exactly.
 */
export function lifetimeDays(notBeforeMs: number, notAfterMs: number): number {
  return (notAfterMs - notBeforeMs + 1000) / DAY_MS;
}
