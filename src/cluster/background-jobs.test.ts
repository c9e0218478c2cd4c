import { describe, expect, it } from 'vitest';
import { type BackgroundJob, startBackgroundJobs } from './background-jobs.js';
import type { Leadership } from './leadership.js';

const quietLogger = (warnings: string[]) => ({
  warn: (f: { job: string; message: string }) => void warnings.push(`${f.job}: ${f.message}`),
});

describe('background jobs', () => {
  it('runs jobs only while this node leads, and logs a failing pass without stopping', async () => {
    let leader = false;
    const leadership: Leadership = { isLeader: () => leader, close: async () => {} };
    let runs = 0;
    let failures = 0;
    const jobs: BackgroundJob[] = [
      { name: 'count', intervalMs: 5, run: async () => void runs++ },
      {
        name: 'fail',
        intervalMs: 5,
        run: async () => {
          failures++;
          throw new Error('database unreachable');
        },
      },
    ];
    const warnings: string[] = [];
    const scheduler = startBackgroundJobs(jobs, leadership, quietLogger(warnings));
    await new Promise((r) => setTimeout(r, 40));
    expect(runs).toBe(0);
    leader = true;
    // Liveness: passes run again and again while leading (a deadline, not a fixed window, for loaded machines).
    const deadline = Date.now() + 5_000;
    while ((runs <= 1 || failures <= 1) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await scheduler.stop();
    expect(runs).toBeGreaterThan(1);
    expect(failures).toBeGreaterThan(1);
    expect(warnings[0]).toBe('fail: database unreachable');
    const after = runs;
    await new Promise((r) => setTimeout(r, 30));
    expect(runs).toBe(after);
  });

  it('never overlaps passes of one job', async () => {
    let active = 0;
    let maxActive = 0;
    const job: BackgroundJob = {
      name: 'slow',
      intervalMs: 1,
      run: async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        await new Promise((r) => setTimeout(r, 10));
        active--;
      },
    };
    const scheduler = startBackgroundJobs(
      [job],
      { isLeader: () => true, close: async () => {} },
      quietLogger([]),
    );
    await Promise.all([scheduler.runNow(), scheduler.runNow()]);
    await new Promise((r) => setTimeout(r, 40));
    await scheduler.stop();
    expect(maxActive).toBe(1);
  });
});
