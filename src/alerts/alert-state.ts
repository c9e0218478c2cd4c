import type { SealedView, SealedViewSpec } from '../store/sealed-view/index.js';

/**
 * Alert state is sealed under its own keyring (`sys/keyring/@alerts/v1`): a cool-down key names who touched what
 * and from where, so storage sees only its HMAC.
 */
export const ALERTS_VIEW: SealedViewSpec = {
  name: 'alerts',
  prefixes: ['sys/alerts/'],
  keyring: { project: '@alerts', environment: 'v1' },
  info: { lookup: 'hush alerts lookup v1', record: 'hush alerts record v1' },
  cacheSize: 0,
};

const COOLDOWN_PREFIX = 'sys/alerts/cooldown/';
const EXPIRY_PREFIX = 'sys/alerts/expiry/';

/** One armed cool-down: no alert with `key` goes out before `until` (epoch ms, in alert time). */
export interface ArmedCooldown {
  readonly key: string;
  readonly until: number;
}

/** Where alerting keeps what must survive a restart or a leader change. */
export interface AlertState {
  /** Remember an armed cool-down (written in the background: alerting never waits on storage). */
  armed(key: string, until: number): void;
  /** The cool-downs still running at `now` (expired ones are deleted on the way). */
  load(now: number): Promise<ArmedCooldown[]>;
  /** Resolves once every write begun so far has finished (shutdown waits for it before the store seals). */
  flush(): Promise<void>;
}

/** Armed windows written between two sweeps of ended ones (a long-running server never reloads to prune). */
const SWEEP_EVERY = 100;
/** Most cool-down records kept (as the in-memory cool-down); beyond it the windows ending soonest go first. */
const MAX_RECORDS = 10_000;

/**
 * Alert state in the store's sealed records, one record per cool-down key under the HMAC of that key. A write that
 * fails (sealed, storage down for a moment) leaves the window in memory only: a restart then may alert once more.
 * Ended windows are deleted on load and every {@link SWEEP_EVERY} writes, so distinct keys do not pile up.
 */
export function storedAlertState(
  view: SealedView,
  onWriteFailed: (err: unknown) => void,
  now: () => number = Date.now,
): AlertState {
  const recordKey = async (key: string) => `${COOLDOWN_PREFIX}${await view.lookupId(key)}`;
  const pending = new Set<Promise<void>>();
  let writes = 0;
  /** Delete ended windows (and the soonest-ending beyond the cap); the live ones. */
  const sweep = async (at: number): Promise<ArmedCooldown[]> => {
    const live: { record: string; revision: number; cooldown: ArmedCooldown }[] = [];
    // Deleted at the revision read: a window re-armed meanwhile fails the batch (swept next time), never lost.
    const drop: { key: string; expectedRevision: number }[] = [];
    for (const record of await view.keys(COOLDOWN_PREFIX)) {
      const row = await view.get<ArmedCooldown>(record);
      if (!row) continue;
      if (row.value.until > at) live.push({ record, revision: row.revision, cooldown: row.value });
      else drop.push({ key: record, expectedRevision: row.revision });
    }
    if (live.length > MAX_RECORDS) {
      live.sort((a, b) => b.cooldown.until - a.cooldown.until);
      for (const { record, revision } of live.splice(MAX_RECORDS))
        drop.push({ key: record, expectedRevision: revision });
    }
    if (drop.length > 0) await view.batch(drop.map((d) => ({ op: 'delete' as const, ...d })));
    return live.map((l) => l.cooldown);
  };
  const track = (work: Promise<unknown>): void => {
    const done: Promise<void> = work
      .then(() => undefined)
      .catch(onWriteFailed)
      .finally(() => pending.delete(done));
    pending.add(done);
  };
  return {
    armed(key, until) {
      track(
        recordKey(key).then((at) =>
          view.batch([{ op: 'put', key: at, value: { key, until } satisfies ArmedCooldown }]),
        ),
      );
      writes += 1;
      if (writes % SWEEP_EVERY === 0) track(sweep(now()));
    },
    async flush() {
      await Promise.all(pending);
    },
    load: (at) => sweep(at),
  };
}

/** The last expiry stage alerted for a secret: `rank` of its `expiresAt` (a changed date starts over). */
export interface AlertedStage {
  readonly expiresAt: string;
  readonly rank: number;
}

/** Where the secret-expiry job remembers the stage it last alerted per secret. */
export interface ExpiryStages {
  get(path: string): Promise<AlertedStage | undefined>;
  set(path: string, stage: AlertedStage): Promise<void>;
}

/**
 * Expiry stages in the store's sealed records, one per secret under the HMAC of its path, so a restart or a new
 * leader does not alert again for a secret already alerted in its stage.
 */
export function storedExpiryStages(view: SealedView): ExpiryStages {
  const recordKey = async (path: string) => `${EXPIRY_PREFIX}${await view.lookupId(path)}`;
  return {
    async get(path) {
      return (await view.get<AlertedStage>(await recordKey(path)))?.value;
    },
    async set(path, stage) {
      const value: AlertedStage = { expiresAt: stage.expiresAt, rank: stage.rank };
      await view.batch([{ op: 'put', key: await recordKey(path), value }]);
    },
  };
}
