import type { Leadership } from './leadership.js';

/** A periodic task that must run once cluster-wide (on the leader), e.g. an expiry sweep. */
export interface BackgroundJob {
  /** Short stable name for logs and metrics, e.g. `lease-expiry`. */
  readonly name: string;
  /** Time between the end of one run and the start of the next. */
  readonly intervalMs: number;
  /** One pass. Must be idempotent: a new leader may repeat work its predecessor did just before dying. */
  run(signal: AbortSignal): Promise<void>;
}

/** Where job failures are reported (the server's logger); messages carry no secrets. */
export interface JobLogger {
  warn(fields: { job: string; code?: string; message: string }, msg: string): void;
}

/** The running scheduler; `stop` waits for passes in flight to finish. */
export interface BackgroundJobs {
  stop(): Promise<void>;
  /** Run every job once now, on this node, if it leads (tests and `--on-deploy`-style triggers). */
  runNow(): Promise<void>;
}

/**
 * Run each job every `intervalMs` while this node leads. A pass that throws is logged and retried at the next
 * interval; passes of one job never overlap. Timers are unref'd so they never keep a process alive.
 */
export function startBackgroundJobs(
  jobs: readonly BackgroundJob[],
  leadership: Leadership,
  logger: JobLogger,
): BackgroundJobs {
  const abort = new AbortController();
  const running = new Map<string, Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();

  function pass(job: BackgroundJob): Promise<void> {
    const inFlight = running.get(job.name);
    if (inFlight) return inFlight;
    if (abort.signal.aborted || !leadership.isLeader()) return Promise.resolve();
    const p = job
      .run(abort.signal)
      .catch((err: unknown) => {
        const code = (err as { code?: unknown }).code;
        logger.warn(
          {
            job: job.name,
            ...(typeof code === 'string' ? { code } : {}),
            message: err instanceof Error ? err.message : String(err),
          },
          'background job failed; retrying at the next interval',
        );
      })
      .finally(() => running.delete(job.name));
    running.set(job.name, p);
    return p;
  }

  function schedule(job: BackgroundJob): void {
    if (abort.signal.aborted) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      void pass(job).then(() => schedule(job));
    }, job.intervalMs);
    timer.unref();
    timers.add(timer);
  }

  for (const job of jobs) schedule(job);
  return {
    async runNow() {
      await Promise.all(jobs.map(pass));
    },
    async stop() {
      abort.abort();
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await Promise.allSettled([...running.values()]);
    },
  };
}
