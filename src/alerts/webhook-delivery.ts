import { randomInt } from 'node:crypto';
import type { Alert } from '../core/alerts/alert.js';
import type { AlertLogger } from './alert-logger.js';
import { SIGNATURE_HEADER, signWebhook } from './webhook-signature.js';

/** Options of {@link createWebhookDelivery}. */
export interface WebhookDeliveryOptions {
  readonly url: URL;
  /** HMAC key; never logged. */
  readonly secret: Uint8Array;
  readonly timeoutMs: number;
  /** Attempts per alert, the first included. */
  readonly maxAttempts: number;
  /** Alerts waiting; past it the oldest waiting one is dropped (counted and logged). */
  readonly queueSize: number;
  /** First retry delay (doubles per attempt, plus up to 100% jitter, capped at 5 minutes). */
  readonly backoffMs: number;
  readonly logger: AlertLogger;
  /** Clock for the signature timestamp (default Date.now). */
  readonly now?: () => number;
}

/** Counters of one webhook (exported for metrics and tests). */
export interface WebhookStats {
  delivered: number;
  /** Alerts given up after maxAttempts. */
  failed: number;
  /** Alerts dropped because the queue was full. */
  dropped: number;
  /** Attempts that were retried (non-2xx, timeout, network error). */
  retries: number;
  queued: number;
}

/** A webhook's delivery queue. */
export interface WebhookDelivery {
  enqueue(alert: Alert): void;
  stats(): WebhookStats;
  /** Resolves once the queue is empty and nothing is in flight (tests, graceful shutdown). */
  idle(): Promise<void>;
  /** Stop: abort the attempt in flight and pending retries; queued alerts are dropped (logged). */
  close(): Promise<void>;
}

const MAX_BACKOFF_MS = 300_000;

/**
 * POST each alert as JSON to one webhook, in order, one at a time, signed (`X-Hush-Signature: t=<unix>,v1=<hex>`,
 * HMAC-SHA256 over `t.body`, re-signed per attempt). Non-2xx, timeouts and network errors are retried with
 * exponential backoff and jitter up to `maxAttempts`. The queue is bounded: when full the oldest alert is dropped.
 */
export function createWebhookDelivery(options: WebhookDeliveryOptions): WebhookDelivery {
  const { url, logger } = options;
  const now = options.now ?? Date.now;
  // Logs name the webhook by origin and path only: a query string may carry the receiver's own key.
  const where = `${url.origin}${url.pathname}`;
  const queue: Alert[] = [];
  const stats: WebhookStats = { delivered: 0, failed: 0, dropped: 0, retries: 0, queued: 0 };
  const abort = new AbortController();
  let running: Promise<void> | undefined;
  let closed = false;

  async function attempt(body: string): Promise<string | undefined> {
    const t = Math.floor(now() / 1000);
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: signWebhook(options.secret, body, t),
        },
        body,
        redirect: 'error',
        signal: AbortSignal.any([abort.signal, AbortSignal.timeout(options.timeoutMs)]),
      });
      await res.body?.cancel();
      return res.ok ? undefined : `HTTP ${res.status}`;
    } catch (err) {
      const name = (err as { name?: unknown }).name;
      if (name === 'TimeoutError') return `no answer within ${options.timeoutMs} ms`;
      const cause = (err as { cause?: { code?: unknown } }).cause?.code;
      return typeof cause === 'string' ? cause : String(name ?? 'network error');
    }
  }

  async function deliver(alert: Alert): Promise<void> {
    const body = JSON.stringify(alert);
    for (let n = 1; n <= options.maxAttempts && !closed; n++) {
      const problem = await attempt(body);
      if (problem === undefined) {
        stats.delivered++;
        return;
      }
      if (closed) return;
      if (n === options.maxAttempts) {
        stats.failed++;
        logger.warn(
          { webhook: where, alertId: alert.id, rule: alert.rule, attempts: n, problem },
          'alert webhook delivery failed; giving up on this alert',
        );
        return;
      }
      stats.retries++;
      const base = Math.min(MAX_BACKOFF_MS, options.backoffMs * 2 ** (n - 1));
      await sleep(base + randomInt(0, base + 1), abort.signal);
    }
  }

  async function drain(): Promise<void> {
    for (let next = queue.shift(); next !== undefined && !closed; next = queue.shift()) {
      stats.queued = queue.length;
      await deliver(next);
    }
    stats.queued = queue.length;
    running = undefined;
  }

  return {
    enqueue(alert) {
      if (closed) return;
      queue.push(alert);
      if (queue.length > options.queueSize) {
        const dropped = queue.shift();
        stats.dropped++;
        logger.warn(
          {
            webhook: where,
            droppedAlertId: dropped?.id,
            dropped: stats.dropped,
            queueSize: options.queueSize,
          },
          'alert webhook queue full; dropped the oldest alert',
        );
      }
      stats.queued = queue.length;
      running ??= drain();
    },
    stats: () => ({ ...stats }),
    async idle() {
      while (running) await running;
    },
    async close() {
      closed = true;
      abort.abort();
      if (queue.length > 0) {
        logger.warn(
          { webhook: where, pending: queue.length },
          'alert webhook closed with alerts undelivered',
        );
      }
      queue.length = 0;
      await running;
    },
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    timer.unref();
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
