import { describe, expect, it } from 'vitest';
import { HushError } from '../../core/errors/hush-error.js';
import type { UnsealMaterial } from '../../seal/seal.js';
import { createShareCollector } from './unseal-progress.js';

/** The shamir seal's answers, threshold 3: `bad` is malformed, `forged` is well-formed but wrong (caught only at 3). */
async function check(material: UnsealMaterial): Promise<void> {
  const shares = material.shares ?? [];
  const bad = shares.indexOf('bad');
  if (bad >= 0) throw new HushError('HUSH_E_UNSEAL_FAILED', 'malformed', { share: bad + 1 });
  if (shares.length < 3)
    throw new HushError('HUSH_E_UNSEAL_FAILED', 'short', { required: 3, supplied: shares.length });
  if (shares.includes('forged')) throw new HushError('HUSH_E_UNSEAL_FAILED', 'wrong key');
}

describe('shares given one per call', () => {
  it('drops a malformed share but keeps the ones before it', async () => {
    const c = createShareCollector(check);
    await c.add('s1');
    await expect(c.add('bad')).rejects.toThrow(/malformed/);
    expect(c.state()?.progress).toBe(1);
  });

  it('starts over when a full set does not recover the key, so one wrong share cannot block every later try', async () => {
    const c = createShareCollector(check);
    await c.add('forged'); // an anonymous caller slips in a well-formed wrong share
    await c.add('s1');
    await expect(c.add('s2')).rejects.toThrow(/wrong key/);
    expect(c.state()).toBeUndefined();
    await c.add('s1');
    await c.add('s2');
    expect(await c.add('s3')).toEqual(['s1', 's2', 's3']);
  });

  it('forgets shares not followed by another within the expiry', async () => {
    let t = 0;
    const c = createShareCollector(check, { ttlMs: 1_000, now: () => t });
    await c.add('s1');
    t = 500;
    await c.add('s2');
    t = 1_400;
    expect(c.state()?.progress).toBe(2);
    t = 2_501;
    expect(c.state()).toBeUndefined();
    await c.add('s3');
    expect(c.state()?.progress).toBe(1);
  });
});
