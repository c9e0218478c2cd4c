import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ALERTS_VIEW, storedExpiryStages } from '../src/alerts/alert-state.js';
import { createAlerting } from '../src/alerts/create-alerting.js';
import { expiryAlertJob } from '../src/alerts/expiry-job.js';
import { startBackgroundJobs } from '../src/cluster/background-jobs.js';
import { singleNodeLeadership } from '../src/cluster/leadership.js';
import { expiryStage } from '../src/core/alerts/expiry-stage.js';
import { KeyFileSeal } from '../src/seal/key-file/key-file-seal.js';
import { openSqliteBackend } from '../src/storage/sqlite/sqlite-backend.js';
import { createStore } from '../src/store/index.js';
import { openSealedView } from '../src/store/sealed-view/index.js';
import { alertsConfig } from './alerts-support.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

const DAY = 86_400_000;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

/** A real store: SQLite file + key-file seal in a temp dir, with a clock the test moves. */
async function sqliteStore() {
  const dir = await makeTempDir('expiry');
  let now = Date.UTC(2026, 10, 1, 9, 0, 0);
  const clock = () => new Date(now);
  const backend = await openSqliteBackend({ path: join(dir, 'hush.db') });
  const store = createStore({ backend, seal: new KeyFileSeal({ path: join(dir, 'root.key') }), clock });
  await store.init();
  cleanups.push(async () => {
    await store.close();
    await removeTempDir(dir);
  });
  return {
    store,
    clock,
    advance: (ms: number) => {
      now += ms;
    },
    now: () => now,
  };
}

describe('secret expiry alerts', () => {
  it('alerts once per secret per stage (lead time, reminder, expired), not on every run', async () => {
    const t = await sqliteStore();
    const iso = (ms: number) => new Date(t.now() + ms).toISOString();
    await t.store.put('app/prod/db-password', 'v1', { actor: 'user:amy', expiresAt: iso(10 * DAY) });
    await t.store.put('app/prod/api-key', 'v1', { actor: 'user:amy', expiresAt: iso(60 * DAY) });
    await t.store.put('app/dev/old-key', 'v1', { actor: 'user:amy', expiresAt: iso(-1 * DAY) });
    await t.store.put('app/dev/no-expiry', 'v1', { actor: 'user:amy' });
    await t.store.put('app/dev/deleted', 'v1', { actor: 'user:amy', expiresAt: iso(2 * DAY) });
    await t.store.delete('app/dev/deleted', { actor: 'user:amy' });
    const config = alertsConfig({ expiry: { leadTimeDays: 14, reminderDays: [3] } });
    const alerting = createAlerting({ config, logger: quiet, now: t.clock });
    const job = expiryAlertJob({ store: t.store, alerting, expiry: config.expiry, clock: t.clock });
    expect(job.intervalMs).toBe(3600 * 1000);
    const signal = new AbortController().signal;

    await job.run(signal);
    const first = alerting.alerts().map((a) => [a.path, a.severity]);
    expect(first.sort()).toEqual([
      ['app/dev/old-key', 'critical'],
      ['app/prod/db-password', 'warning'],
    ]);
    expect(alerting.alerts().find((a) => a.path === 'app/prod/db-password')?.message).toContain('in 10 days');

    await job.run(signal); // same stage: nothing new
    t.advance(2 * DAY);
    await job.run(signal); // 8 days left: still the 14-day stage
    expect(alerting.alerts()).toHaveLength(2);

    t.advance(5 * DAY); // 3 days left: the reminder stage
    await job.run(signal);
    t.advance(4 * DAY); // expired
    await job.run(signal);
    await job.run(signal);
    const db = alerting.alerts().filter((a) => a.path === 'app/prod/db-password');
    expect(db.map((a) => a.severity)).toEqual(['warning', 'warning', 'critical']);
    expect(db[2]?.message).toContain('expired at');

    // A new expiry date (after rotation) starts the stages over.
    await t.store.updateMetadata('app/prod/db-password', { actor: 'user:amy', expiresAt: iso(5 * DAY) });
    await job.run(signal);
    expect(alerting.alerts().filter((a) => a.path === 'app/prod/db-password')).toHaveLength(4);
    expect(JSON.stringify(alerting.alerts())).not.toContain('v1');
  });

  it('still alerts when the stage cannot be kept in the store (storage failing for a moment)', async () => {
    const t = await sqliteStore();
    await t.store.put('app/prod/cert-key', 'v1', {
      actor: 'user:amy',
      expiresAt: new Date(t.now() + 10 * DAY).toISOString(),
    });
    const config = alertsConfig({ expiry: { leadTimeDays: 14, reminderDays: [3] } });
    const alerting = createAlerting({ config, logger: quiet, now: t.clock });
    const stored = storedExpiryStages(openSealedView(t.store.readBackend, t.store.barrier, ALERTS_VIEW));
    // The real stored stages, whose first write fails as a storage outage would make it.
    let failWrites = 1;
    const stages = {
      get: (path: string) => stored.get(path),
      set: async (path: string, stage: { expiresAt: string; rank: number }) => {
        if (failWrites-- > 0)
          throw Object.assign(new Error('storage unavailable'), { code: 'HUSH_E_STORAGE' });
        await stored.set(path, stage);
      },
    };
    const job = expiryAlertJob({ store: t.store, alerting, expiry: config.expiry, clock: t.clock, stages });
    const signal = new AbortController().signal;
    await job.run(signal).catch(() => undefined);
    await job.run(signal).catch(() => undefined);
    // The failed write does not swallow the alert: it went out once (the memory keeps it from repeating).
    expect(alerting.alerts().map((a) => a.path)).toEqual(['app/prod/cert-key']);
  });

  it('keeps the stage alerted in the store: a new leader (or a restart) repeats nothing, a new stage still alerts', async () => {
    const t = await sqliteStore();
    await t.store.put('app/prod/cert-key', 'v1', {
      actor: 'user:amy',
      expiresAt: new Date(t.now() + 10 * DAY).toISOString(),
    });
    const config = alertsConfig({ expiry: { leadTimeDays: 14, reminderDays: [3] } });
    const leader = () => {
      const alerting = createAlerting({ config, logger: quiet, now: t.clock });
      const stages = storedExpiryStages(openSealedView(t.store.readBackend, t.store.barrier, ALERTS_VIEW));
      return {
        alerting,
        job: expiryAlertJob({ store: t.store, alerting, expiry: config.expiry, clock: t.clock, stages }),
      };
    };
    const signal = new AbortController().signal;
    const first = leader();
    await first.job.run(signal);
    expect(first.alerting.alerts().map((a) => a.path)).toEqual(['app/prod/cert-key']);
    // Another node takes over (fresh memory, same store): the 14-day stage was alerted already.
    const second = leader();
    await second.job.run(signal);
    expect(second.alerting.alerts()).toEqual([]);
    t.advance(8 * DAY); // 2 days left: the reminder stage is new
    await second.job.run(signal);
    expect(second.alerting.alerts().map((a) => a.severity)).toEqual(['warning']);
    // The store holds the stage under the path's HMAC only: no path in a storage key.
    const keys = (await t.store.readBackend.list('sys/alerts/')).keys;
    expect(keys).toHaveLength(1);
    expect(keys.join()).not.toContain('cert-key');
  });

  it('runs as a leader-only background job and skips a sealed store', async () => {
    const t = await sqliteStore();
    await t.store.put('app/prod/token', 'v1', {
      actor: 'user:amy',
      expiresAt: new Date(t.now() + DAY).toISOString(),
    });
    const config = alertsConfig({ expiry: { intervalSeconds: 3600 } });
    const alerting = createAlerting({ config, logger: quiet, now: t.clock });
    const job = expiryAlertJob({ store: t.store, alerting, expiry: config.expiry, clock: t.clock });
    await t.store.seal({ persist: false });
    await job.run(new AbortController().signal);
    expect(alerting.alerts()).toEqual([]);
    await t.store.unseal();
    const jobs = startBackgroundJobs([job], singleNodeLeadership(), { warn: () => {} });
    await jobs.runNow();
    await jobs.stop();
    expect(alerting.alerts().map((a) => a.path)).toEqual(['app/prod/token']);
  });

  it('computes stages from the lead time and reminders', () => {
    const now = Date.UTC(2027, 0, 1);
    expect(expiryStage(now + 20 * DAY, now, [14, 3])).toBeUndefined();
    expect(expiryStage(now + 14 * DAY, now, [14, 3])?.label).toBe('expiring-14d');
    expect(expiryStage(now + 2 * DAY, now, [14, 3])?.label).toBe('expiring-3d');
    expect(expiryStage(now, now, [14, 3])).toMatchObject({ label: 'expired', expired: true });
  });
});
