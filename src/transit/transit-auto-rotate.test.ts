import { describe, expect, it } from 'vitest';
import { unsealedStores } from '../../test/support/test-store.js';
import type { AuditEventInput } from '../audit/audit-log.js';
import { createTransit } from './create-transit.js';
import { TRANSIT_ROTATOR_ACTOR, transitAutoRotateJob } from './transit-auto-rotate.js';

const unsealed = unsealedStores();
const HOUR = 3_600_000;

describe('scheduled transit auto-rotation', () => {
  it('rotates a key once its period has passed since the latest version, audits it, and never twice per period', async () => {
    const { store } = await unsealed();
    let now = new Date('2026-01-01T00:00:00Z');
    const clock = () => now;
    const transit = createTransit({ readBackend: store.readBackend, barrier: store.barrier, clock });
    await transit.keys.create('daily', { type: 'aes256-gcm96', autoRotatePeriod: 24 * 3600 });
    await transit.keys.create('manual', { type: 'ed25519' });
    const audit: AuditEventInput[] = [];
    const job = transitAutoRotateJob({
      keys: transit.keys,
      now: clock,
      audit: async (e) => {
        audit.push(e);
      },
    });
    const pass = () => job.run(new AbortController().signal);

    now = new Date(now.getTime() + 24 * HOUR - 1);
    await pass();
    expect((await transit.keys.get('daily')).latestVersion).toBe(1);

    now = new Date(now.getTime() + 1);
    await pass();
    await pass();
    expect((await transit.keys.get('daily')).latestVersion).toBe(2);
    expect((await transit.keys.get('manual')).latestVersion).toBe(1);
    expect(audit).toEqual([
      expect.objectContaining({
        operation: 'transit.keys.rotate',
        outcome: 'allowed',
        identity: TRANSIT_ROTATOR_ACTOR,
        path: 'transit/keys/daily',
        details: { trigger: 'scheduled', version: 2 },
      }),
    ]);

    // The period counts from the new version; turning it off stops rotation.
    now = new Date(now.getTime() + 24 * HOUR);
    await pass();
    expect((await transit.keys.get('daily')).latestVersion).toBe(3);
    await transit.keys.configure('daily', { autoRotatePeriod: 0 });
    now = new Date(now.getTime() + 48 * HOUR);
    await pass();
    expect((await transit.keys.get('daily')).latestVersion).toBe(3);
  });

  it('refuses a period under an hour, or not a whole number of seconds', async () => {
    const { store } = await unsealed();
    const transit = createTransit({ readBackend: store.readBackend, barrier: store.barrier });
    for (const autoRotatePeriod of [59, 3599, 1.5, -1]) {
      await expect(transit.keys.create('k', { type: 'hmac', autoRotatePeriod })).rejects.toMatchObject({
        code: 'HUSH_E_INVALID_INPUT',
      });
    }
    await transit.keys.create('k', { type: 'hmac' });
    await expect(transit.keys.configure('k', { autoRotatePeriod: 60 })).rejects.toMatchObject({
      code: 'HUSH_E_INVALID_INPUT',
    });
    expect((await transit.keys.configure('k', { autoRotatePeriod: 3600 })).autoRotatePeriod).toBe(3600);
  });
});
