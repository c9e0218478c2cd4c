import type { BackgroundJob } from '../cluster/background-jobs.js';
import { BoundedMap } from '../core/alerts/bounded-map.js';
import { expiryStage } from '../core/alerts/expiry-stage.js';
import { isHushError } from '../core/errors/hush-error.js';
import type { HushStore } from '../store/index.js';
import type { ExpiryStages } from './alert-state.js';
import type { Alerting } from './create-alerting.js';

/** What the expiry job reads and where it raises. */
export interface ExpiryJobDeps {
  readonly store: Pick<HushStore, 'list' | 'versions' | 'isSealed'>;
  readonly alerting: Pick<Alerting, 'raise'>;
  /** The `alerts.expiry` config: lead time, reminder stages, interval. */
  readonly expiry: {
    readonly leadTimeDays: number;
    readonly reminderDays: readonly number[];
    readonly intervalSeconds: number;
  };
  readonly clock?: () => Date;
  /** Secrets remembered (per path, the stage last alerted); bounded (default 100,000). */
  readonly maxRemembered?: number;
  /**
   * Where the stage last alerted per secret is kept beyond this process (the server: the store), consulted when the
   * memory has none; without it a new leader (or a restart) alerts once more for secrets already in a stage.
   */
  readonly stages?: ExpiryStages;
}

const PAGE = 1000;

/**
 * A leader-only job that lists every secret, and raises one `secret-expiry` alert per secret per stage (within the
 * lead time, within each reminder, expired) — not one per run, nor again after a restart or on a new leader when `stages` keeps
 * them. A sealed store is skipped (nothing can be read).
 *
 * @example
 * startBackgroundJobs([expiryAlertJob({ store, alerting, expiry: config.alerts.expiry })], leadership, logger);
 */
export function expiryAlertJob(deps: ExpiryJobDeps): BackgroundJob {
  const clock = deps.clock ?? (() => new Date());
  const leadDays = [deps.expiry.leadTimeDays, ...deps.expiry.reminderDays];
  // path -> `${expiresAt}@${rank}`: a changed expiry date starts over.
  const alerted = new BoundedMap<string, { expiresAt: string; rank: number }>(deps.maxRemembered ?? 100_000);
  return {
    name: 'secret-expiry-alerts',
    intervalMs: deps.expiry.intervalSeconds * 1000,
    async run(signal) {
      if (deps.store.isSealed()) return;
      let cursor: string | undefined;
      do {
        const page = await deps.store.list('', {
          recursive: true,
          limit: PAGE,
          ...(cursor ? { cursor } : {}),
        });
        for (const entry of page.entries) {
          if (signal.aborted) return;
          await check(entry.path);
        }
        cursor = page.cursor;
      } while (cursor !== undefined);
    },
  };

  async function check(path: string): Promise<void> {
    let info: Awaited<ReturnType<HushStore['versions']>>;
    try {
      info = await deps.store.versions(path);
    } catch (err) {
      if (isHushError(err) && ['HUSH_E_NOT_FOUND', 'HUSH_E_DELETED'].includes(err.code)) return; // gone meanwhile
      throw err;
    }
    if (!info.expiresAt || !info.versions.some((v) => v.state === 'active')) return;
    const now = clock().getTime();
    const stage = expiryStage(Date.parse(info.expiresAt), now, leadDays);
    if (!stage) return;
    const last = alerted.get(path) ?? (await deps.stages?.get(path));
    if (last && last.expiresAt === info.expiresAt && last.rank >= stage.rank) {
      alerted.set(path, last);
      return;
    }
    const reached = { expiresAt: info.expiresAt, rank: stage.rank };
    alerted.set(path, reached);
    const days = Math.ceil((Date.parse(info.expiresAt) - now) / 86_400_000);
    deps.alerting.raise({
      rule: 'secret-expiry',
      severity: stage.expired ? 'critical' : 'warning',
      time: new Date(now).toISOString(),
      path,
      key: `secret-expiry:${path}:${info.expiresAt}:${stage.label}`,
      cooldownSeconds: 0,
      message: stage.expired
        ? `secret ${path} expired at ${info.expiresAt}; rotate it and set a new expiry`
        : `secret ${path} expires at ${info.expiresAt} (in ${days} day${days === 1 ? '' : 's'}, stage ${stage.label}); rotate it before then`,
    });
    // Kept after the alert went out: a failed write (reported by the job runner) may repeat it after a restart,
    // but never loses it (the memory above already counts it as alerted).
    await deps.stages?.set(path, reached);
  }
}
