import { describe, expect, it } from 'vitest';
import { coversPath, dueAt, policyFor } from './due.js';
import type { RotationPolicy } from './policy-schema.js';

const DAY = 86_400_000;
const policy = (kind: RotationPolicy['kind'], target: string, intervalMs = DAY): RotationPolicy => ({
  kind,
  target,
  intervalMs,
  generator: { kind: 'password' },
  rotator: 'generate',
  onDeploy: false,
  updatedAt: '2026-01-01T00:00:00.000Z',
  updatedBy: 'user:test',
});

describe('policy resolution and due times', () => {
  it('prefixes cover whole segments only', () => {
    expect(coversPath('app/prod', 'app/prod/db')).toBe(true);
    expect(coversPath('app/prod', 'app/production/db')).toBe(false);
  });

  it('a path policy beats prefixes; the longest covering prefix beats shorter ones', () => {
    const all = [policy('prefix', 'app'), policy('prefix', 'app/prod'), policy('path', 'app/prod/db')];
    expect(policyFor(all, 'app/prod/db')?.kind).toBe('path');
    expect(policyFor(all, 'app/prod/cache')?.target).toBe('app/prod');
    expect(policyFor(all, 'app/dev/cache')?.target).toBe('app');
    expect(policyFor(all, 'other/prod/x')).toBeUndefined();
  });

  it('due: recorded next time, else one interval after the served version, else now', () => {
    const p = policy('path', 'a/b/c', 10 * DAY);
    expect(dueAt(p, { path: 'a/b/c', nextDueAt: '2026-03-01T00:00:00.000Z' }).toISOString()).toBe(
      '2026-03-01T00:00:00.000Z',
    );
    expect(dueAt(p, undefined, '2026-01-01T00:00:00.000Z').toISOString()).toBe('2026-01-11T00:00:00.000Z');
    expect(dueAt(p, undefined).getTime()).toBe(0);
  });
});
