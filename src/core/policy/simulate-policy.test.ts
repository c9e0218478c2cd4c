import { describe, expect, it } from 'vitest';
import { type CompiledPolicy, parsePolicy } from './compile-policy.js';
import { hideUnreadableRules, type PastRequest, simulatePolicy } from './simulate-policy.js';

const app = parsePolicy({
  name: 'app',
  rules: [
    { path: 'payments/**', capabilities: ['read', 'list'] },
    { path: 'billing/*', capabilities: ['read'] },
  ],
});
const other = parsePolicy({ name: 'other', rules: [{ path: 'shared/**', capabilities: ['read'] }] });
const current = new Map<string, CompiledPolicy>([
  [app.name, app],
  [other.name, other],
]);

function request(over: Partial<PastRequest> & Pick<PastRequest, 'checks'>): PastRequest {
  return {
    time: '2026-06-01T12:00:00.000Z',
    requestId: 'req-1',
    identity: 'approle:ci',
    accessor: 'acc1',
    operation: 'secrets.read',
    policies: ['app'],
    policiesAsOf: 'record',
    ...over,
  };
}

describe('simulatePolicy', () => {
  it('reports a request the draft would deny, with the rule that allowed it before', () => {
    const draft = parsePolicy({ name: 'app', rules: [{ path: 'billing/*', capabilities: ['read'] }] });
    const sim = simulatePolicy({
      draft,
      current,
      requests: [
        request({ requestId: 'a', checks: [{ path: 'payments/prod/db', capability: 'read' }] }),
        request({ requestId: 'b', checks: [{ path: 'billing/invoices', capability: 'read' }] }),
      ],
    });
    expect(sim.flips).toHaveLength(1);
    const flip = sim.flips[0];
    expect(flip).toMatchObject({
      requestId: 'a',
      identity: 'approle:ci',
      accessor: 'acc1',
      path: 'payments/prod/db',
      capability: 'read',
      before: { allowed: true, rule: { policy: 'app', index: 0, path: 'payments/**' } },
      after: { allowed: false },
    });
    expect(flip?.after.reason).toContain('default deny');
    expect(sim.counts).toMatchObject({ evaluated: 2, affected: 2, nowDenied: 1, nowAllowed: 0 });
  });

  it('reports a request the draft would allow, with the granting draft rule', () => {
    const draft = parsePolicy({
      name: 'app',
      rules: [...app.rules.map((r) => ({ path: r.glob.pattern, capabilities: [...r.capabilities] }))].concat([
        { path: 'orders/*', capabilities: ['update'] },
      ]),
    });
    const sim = simulatePolicy({
      draft,
      current,
      requests: [request({ checks: [{ path: 'orders/x', capability: 'update' }] })],
    });
    expect(sim.flips[0]).toMatchObject({
      before: { allowed: false },
      after: { allowed: true, rule: { policy: 'app', index: 2, path: 'orders/*' } },
    });
    expect(sim.counts.nowAllowed).toBe(1);
  });

  it('leaves requests of tokens without the policy alone, and a deny rule in another policy still wins', () => {
    const lockdown = parsePolicy({
      name: 'lock',
      rules: [{ path: 'shared/secret', capabilities: ['deny'] }],
    });
    const draft = parsePolicy({ name: 'app', rules: [{ path: '**', capabilities: ['read'] }] });
    const sim = simulatePolicy({
      draft,
      current: new Map([...current, [lockdown.name, lockdown]]),
      requests: [
        request({ policies: ['other'], checks: [{ path: 'payments/x', capability: 'read' }] }),
        request({ policies: ['app', 'lock'], checks: [{ path: 'shared/secret', capability: 'read' }] }),
      ],
    });
    expect(sim.flips).toEqual([]);
    expect(sim.counts).toMatchObject({ evaluated: 2, affected: 1 });
  });

  it('needs every check to pass and names the one that flips', () => {
    const draft = parsePolicy({ name: 'app', rules: [{ path: 'payments/**', capabilities: ['read'] }] });
    const sim = simulatePolicy({
      draft,
      current,
      requests: [
        request({
          checks: [
            { path: 'payments/a', capability: 'read' },
            { path: 'payments/b', capability: 'list' },
          ],
        }),
      ],
    });
    expect(sim.flips[0]).toMatchObject({ path: 'payments/b', capability: 'list' });
  });

  it('evaluates at the request time, so a rule expired since then still counted', () => {
    const draft = parsePolicy({
      name: 'app',
      rules: [{ path: 'payments/**', capabilities: ['read'], expiresAt: '2026-05-01T00:00:00Z' }],
    });
    const sim = simulatePolicy({
      draft,
      current,
      requests: [
        request({ time: '2026-04-01T00:00:00.000Z', checks: [{ path: 'payments/a', capability: 'read' }] }),
        request({ time: '2026-06-01T00:00:00.000Z', checks: [{ path: 'payments/a', capability: 'read' }] }),
      ],
    });
    expect(sim.flips.map((f) => f.time)).toEqual(['2026-06-01T00:00:00.000Z']);
  });

  it('keeps at most maxFlips flips but counts them all, and counts replays with current policies', () => {
    const draft = parsePolicy({ name: 'app', rules: [] });
    const requests = [1, 2, 3].map((n) =>
      request({
        requestId: `r${n}`,
        policiesAsOf: n === 1 ? 'current' : 'record',
        checks: [{ path: 'payments/a', capability: 'read' }],
      }),
    );
    const sim = simulatePolicy({ draft, current, requests, maxFlips: 2 });
    expect(sim.flips).toHaveLength(2);
    expect(sim.truncated).toBe(true);
    expect(sim.counts).toMatchObject({ nowDenied: 3, currentPolicies: 1 });
    expect(sim.flips[0]?.policiesAsOf).toBe('current');
  });
});

describe('hideUnreadableRules', () => {
  it('drops the rule of a policy the caller may not read, and the lapsed grant a default deny quotes', () => {
    const lapsed = parsePolicy({
      name: 'hidden',
      rules: [{ path: 'vault/secret-*', capabilities: ['read'], expiresAt: '2026-01-01T00:00:00Z' }],
    });
    const draft = parsePolicy({ name: 'app', rules: [{ path: 'vault/**', capabilities: ['read'] }] });
    const { flips } = simulatePolicy({
      draft,
      current: new Map([
        [app.name, app],
        [lapsed.name, lapsed],
      ]),
      requests: [
        request({ policies: ['hidden', 'app'], checks: [{ path: 'vault/secret-a', capability: 'read' }] }),
      ],
    });
    expect(flips[0]?.before.reason).toContain('vault/secret-*');
    const shown = hideUnreadableRules(flips, (p) => p === 'app');
    expect(JSON.stringify(shown)).not.toContain('vault/secret-*');
    expect(shown[0]?.before.reason).toMatch(/\(default deny\)$/);
    expect(shown[0]?.after.rule?.policy).toBe('app');
    expect(hideUnreadableRules(flips, () => true)).toEqual(flips);
  });
});
