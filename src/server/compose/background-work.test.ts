import { expect, it } from 'vitest';
import type { BackgroundJob } from '../../cluster/background-jobs.js';
import { type BackgroundWorkDeps, backgroundWork } from './background-work.js';

/**
 * An unlock of a key-file store opens the barrier for a moment to check the token while the server still reports
 * itself sealed (locked down). Background jobs must follow the server's view, not the barrier's: a rotation started
 * in that moment would run during a lockdown and be cut off half way when the barrier closes again.
 */
it('skips every background pass while the server reports itself sealed, whatever the barrier says', async () => {
  let runs = 0;
  const counting: BackgroundJob = {
    name: 'secret-rotation',
    intervalMs: 60_000,
    run: async () => {
      runs++;
    },
  };
  let sealed = true;
  const work = backgroundWork({
    extraJobs: [counting],
    isSealed: () => sealed,
    store: { isSealed: () => false } as unknown as BackgroundWorkDeps['store'],
    creds: { leases: {} } as unknown as BackgroundWorkDeps['creds'],
    alerting: {} as BackgroundWorkDeps['alerting'],
    alerts: { enabled: false } as unknown as BackgroundWorkDeps['alerts'],
    leadership: {} as BackgroundWorkDeps['leadership'],
  });
  const job = work.jobs.find((j) => j.name === 'secret-rotation');
  expect(job).toBeDefined();
  await job!.run(new AbortController().signal);
  expect(runs).toBe(0);
  sealed = false;
  await job!.run(new AbortController().signal);
  expect(runs).toBe(1);
});
