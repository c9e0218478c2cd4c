import type { AuditRecord } from '../audit/audit-record.js';
import { type AlertDraft, type AlertRule, optionalFields, recordTime } from './alert.js';
import type { AlertRulesConfig } from './alerts-config.js';
import { BoundedMap } from './bounded-map.js';

interface ReaderState {
  /** Distinct paths read in the sliding window, with when each was last read. */
  readonly recent: Map<string, number>;
  /** Start of the current tumbling window, for the baseline. */
  bucketStart: number;
  /** Distinct paths read in the current tumbling window (capped). */
  bucket: Set<string>;
  /** Usual distinct reads per window (EWMA over completed windows). */
  ewma: number;
}

// Idle windows folded into the baseline at most: after that the EWMA is ~0 anyway.
const MAX_IDLE_WINDOWS = 64;

/**
 * (b) Bulk read / exfiltration: an identity reading far more distinct secrets than usual. The sliding-window count
 * of distinct paths is compared to max(floor, multiplier x EWMA of past windows); the floor keeps a new identity
 * (EWMA 0) quiet on its first reads, and `absoluteCap` alerts whatever the baseline. Memory per identity is bounded
 * by the cap; identities are bounded by `maxIdentities` (least recent forgotten).
 */
export function bulkReadRule(config: AlertRulesConfig['bulkRead']): AlertRule {
  const windowMs = config.windowSeconds * 1000;
  const operations = new Set(config.operations);
  const readers = new BoundedMap<string, ReaderState>(config.maxIdentities);
  const keepAtMost = config.absoluteCap + 1;

  function advance(s: ReaderState, t: number): void {
    if (t < s.bucketStart + windowMs) return;
    const elapsed = Math.floor((t - s.bucketStart) / windowMs);
    s.ewma = config.alpha * s.bucket.size + (1 - config.alpha) * s.ewma;
    for (let i = 1; i < Math.min(elapsed, MAX_IDLE_WINDOWS); i++) s.ewma *= 1 - config.alpha;
    s.bucketStart += elapsed * windowMs;
    s.bucket = new Set();
  }

  return {
    name: 'bulk-read',
    evaluate(record: AuditRecord): AlertDraft[] {
      if (record.outcome !== 'allowed' || !operations.has(record.operation)) return [];
      if (!record.identity || !record.path) return [];
      const t = recordTime(record);
      let s = readers.get(record.identity);
      if (!s) {
        s = { recent: new Map(), bucketStart: t, bucket: new Set(), ewma: 0 };
        readers.set(record.identity, s);
      }
      advance(s, t);
      if (s.bucket.size < keepAtMost) s.bucket.add(record.path);
      // `recent` is in last-read order (each read moves its path to the end), so expired paths are at the front.
      for (const [p, at] of s.recent) {
        if (at > t - windowMs) break;
        s.recent.delete(p);
      }
      s.recent.delete(record.path);
      s.recent.set(record.path, t);
      if (s.recent.size > keepAtMost) {
        const oldest = s.recent.keys().next();
        if (!oldest.done) s.recent.delete(oldest.value);
      }
      const n = s.recent.size;
      const usual = config.multiplier * s.ewma;
      const limit = Math.min(config.absoluteCap, Math.max(config.floor, usual));
      if (n <= limit) return [];
      const why =
        n > config.absoluteCap
          ? `over the absolute cap of ${config.absoluteCap}`
          : `usual is ~${s.ewma.toFixed(1)} per window; limit ${Math.floor(limit)}`;
      return [
        {
          key: `bulk-read:${record.identity}`,
          rule: 'bulk-read',
          severity: config.severity,
          time: record.time,
          ...optionalFields({ identity: record.identity, sourceAddress: record.sourceAddress, count: n }),
          message: `${record.identity} read ${n} distinct secrets within ${config.windowSeconds} s (${why})`,
        },
      ];
    },
  };
}
