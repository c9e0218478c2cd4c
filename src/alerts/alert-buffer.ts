import type { Alert } from '../core/alerts/alert.js';

/** A bounded ring of the newest alerts (what `GET /v1/sys/alerts` serves); the oldest fall off. */
export function createAlertBuffer(size: number) {
  const ring: (Alert | undefined)[] = new Array(size);
  let next = 0;
  let total = 0;
  return {
    push(alert: Alert): void {
      ring[next] = alert;
      next = (next + 1) % size;
      total++;
    },
    /** Kept alerts, oldest first. */
    list(): Alert[] {
      const out: Alert[] = [];
      for (let i = 0; i < size; i++) {
        const a = ring[(next + i) % size];
        if (a) out.push(a);
      }
      return out;
    },
    /** Alerts ever pushed (including those that fell off). */
    total: () => total,
  };
}
