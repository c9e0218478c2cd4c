import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CAPABILITIES, type Capability, REQUESTABLE_CAPABILITIES } from './capabilities.js';
import { type CompiledPolicy, parsePolicy } from './compile-policy.js';
import { allows, evaluate, explain } from './evaluate.js';

const NOW = new Date('2026-06-01T12:00:00Z');

const oncall = parsePolicy({
  name: 'payments-oncall',
  rules: [
    { path: 'payments/**', capabilities: ['read', 'list'] },
    { path: 'payments/prod/db/*', capabilities: ['update', 'rotate'] },
    { path: 'payments/prod/db/root', capabilities: ['deny'] },
    {
      path: 'payments/prod/break-glass',
      capabilities: ['admin'],
      notBefore: '2026-06-01T00:00:00Z',
      expiresAt: '2026-06-02T00:00:00Z',
    },
    { path: 'payments/staging/**', capabilities: ['create'], expiresAt: '2026-05-01T00:00:00Z' },
    { path: 'payments/dev/**', capabilities: ['destroy'], notBefore: '2026-07-01T00:00:00Z' },
  ],
});

describe('evaluate', () => {
  it('allows what a rule grants and names the rule', () => {
    const d = evaluate([oncall], 'payments/prod/db/password', 'read', NOW);
    expect(d).toMatchObject({ allowed: true, basis: 'grant' });
    expect(d.matchedRule).toEqual({
      policy: 'payments-oncall',
      index: 0,
      path: 'payments/**',
      capabilities: ['read', 'list'],
    });
    expect(d.reason).toBe('allowed: rule 0 of policy "payments-oncall" (path "payments/**") grants "read"');
    expect(evaluate([oncall], 'payments/prod/db/password', 'rotate', NOW).matchedRule?.index).toBe(1);
  });

  it('denies by default and says so', () => {
    const d = evaluate([oncall], 'billing/prod/key', 'read', NOW);
    expect(d).toEqual({
      allowed: false,
      basis: 'default-deny',
      reason: 'denied: no policy grants "read" on "billing/prod/key" (default deny)',
    });
    expect(evaluate([oncall], 'payments/prod/db/password', 'delete', NOW).allowed).toBe(false);
    expect(evaluate([], 'a', 'read', NOW).basis).toBe('default-deny');
  });

  it('lets a deny rule win over any grant, in any policy order', () => {
    const everything = parsePolicy({ name: 'root', rules: [{ path: '**', capabilities: ['admin'] }] });
    for (const policies of [
      [oncall, everything],
      [everything, oncall],
    ]) {
      const d = evaluate(policies, 'payments/prod/db/root', 'read', NOW);
      expect(d).toMatchObject({ allowed: false, basis: 'deny-rule' });
      expect(d.matchedRule?.index).toBe(2);
      expect(d.reason).toMatch(/deny rule, which overrides every grant/);
    }
  });

  it('admin implies every requestable capability', () => {
    for (const cap of REQUESTABLE_CAPABILITIES) {
      const d = evaluate([oncall], 'payments/prod/break-glass', cap, NOW);
      expect(d.allowed).toBe(true);
      if (cap !== 'admin' && cap !== 'read' && cap !== 'list') expect(d.reason).toMatch(/admin implies it/);
    }
  });

  it('ignores grants outside their time window and says why', () => {
    const before = new Date('2026-05-31T23:59:59Z');
    const atExpiry = new Date('2026-06-02T00:00:00Z');
    expect(evaluate([oncall], 'payments/prod/break-glass', 'delete', before).reason).toMatch(
      /not valid until 2026-06-01T00:00:00.000Z/,
    );
    expect(evaluate([oncall], 'payments/prod/break-glass', 'delete', atExpiry).reason).toMatch(
      /expired at 2026-06-02T00:00:00.000Z/,
    );
    expect(evaluate([oncall], 'payments/staging/x', 'create', NOW)).toMatchObject({
      allowed: false,
      basis: 'default-deny',
    });
    expect(evaluate([oncall], 'payments/staging/x', 'create', new Date('2026-04-30T00:00:00Z')).allowed).toBe(
      true,
    );
    expect(evaluate([oncall], 'payments/dev/x', 'destroy', NOW).reason).toMatch(/not valid until/);
  });

  it('ignores an expired deny rule', () => {
    const p = parsePolicy({
      name: 'p',
      rules: [
        { path: 'a/**', capabilities: ['read'] },
        { path: 'a/b', capabilities: ['deny'], expiresAt: '2026-01-01T00:00:00Z' },
      ],
    });
    expect(evaluate([p], 'a/b', 'read', NOW).allowed).toBe(true);
    expect(evaluate([p], 'a/b', 'read', new Date('2025-12-31T00:00:00Z')).allowed).toBe(false);
  });
});

describe('explain', () => {
  it('reports every rule considered and why it applied or not', () => {
    const e = explain([oncall], 'payments/prod/db/root', 'update', NOW);
    expect(e.decision).toMatchObject({ allowed: false, basis: 'deny-rule' });
    expect(e.rules.map((r) => r.outcome)).toEqual([
      'irrelevant',
      'grants',
      'denies',
      'no-match',
      'no-match',
      'no-match',
    ]);
    expect(e.rules[0]?.why).toBe(
      'rule 0 of policy "payments-oncall" (path "payments/**") matches but grants only [read, list]',
    );
    expect(e.rules[3]?.why).toMatch(/does not match the path/);
  });

  it('shows time-window outcomes', () => {
    const e = explain([oncall], 'payments/staging/x', 'create', NOW);
    expect(e.rules[4]).toMatchObject({ outcome: 'expired', path: 'payments/staging/**' });
    expect(e.decision.reason).toMatch(/default deny\); rule 4 .* expired at/);
  });
});

// ---- properties -------------------------------------------------------------------------------------------------

const segment = fc.constantFrom('a', 'b', 'c');
const pathArb = fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join('/'));
const patternArb = fc
  .array(fc.constantFrom('a', 'b', 'c', '*', '+', '**', 'a*', '*c'), { minLength: 1, maxLength: 4 })
  .map((s) => s.join('/'));
const grantCaps = fc.subarray(
  CAPABILITIES.filter((c) => c !== 'deny'),
  { minLength: 1 },
);
const ruleArb = fc.record({
  path: patternArb,
  capabilities: fc.oneof(
    { weight: 4, arbitrary: grantCaps },
    { weight: 1, arbitrary: fc.constant(['deny']) },
  ),
});
const policiesArb = fc
  .array(fc.array(ruleArb, { maxLength: 5 }), { maxLength: 4 })
  .map((ps) => ps.map((rules, i) => parsePolicy({ name: `p${i}`, rules })));
const capArb = fc.constantFrom(...REQUESTABLE_CAPABILITIES);

describe('evaluate properties', () => {
  it('no policy means deny', () => {
    fc.assert(
      fc.property(pathArb, capArb, (path, cap) => {
        const d = evaluate([], path, cap, NOW);
        return !d.allowed && d.basis === 'default-deny';
      }),
    );
  });

  it('a matching deny always wins, wherever it is added', () => {
    fc.assert(
      fc.property(policiesArb, pathArb, capArb, fc.nat(), (policies, path, cap, pos) => {
        const deny = parsePolicy({ name: 'deny', rules: [{ path, capabilities: ['deny'] }] });
        const at = pos % (policies.length + 1);
        const withDeny: CompiledPolicy[] = [...policies.slice(0, at), deny, ...policies.slice(at)];
        const d = evaluate(withDeny, path, cap, NOW);
        return !d.allowed && d.basis === 'deny-rule';
      }),
    );
  });

  it('the decision does not depend on policy order, and explain agrees with evaluate', () => {
    fc.assert(
      fc.property(policiesArb, pathArb, capArb, (policies, path, cap) => {
        const a = evaluate(policies, path, cap, NOW);
        const b = evaluate([...policies].reverse(), path, cap, NOW);
        const e = explain(policies, path, cap, NOW);
        return a.allowed === b.allowed && a.basis === b.basis && e.decision.allowed === a.allowed;
      }),
    );
  });

  it('allowed exactly when some matching rule grants it and no matching rule denies', () => {
    fc.assert(
      fc.property(policiesArb, pathArb, capArb, (policies, path, cap) => {
        const rules = policies.flatMap((p) => p.rules).filter((r) => r.glob.matches(path));
        const denied = rules.some((r) => r.capabilities.includes('deny'));
        const granted = rules.some(
          (r) => r.capabilities.includes(cap) || r.capabilities.includes('admin' as Capability),
        );
        return evaluate(policies, path, cap, NOW).allowed === (granted && !denied);
      }),
    );
  });

  it('allows() answers exactly what evaluate() decides, time windows included', () => {
    // Windows around NOW: ended, not yet begun, open, and at the exact edges (notBefore inclusive, expiresAt not).
    const edge = fc
      .constantFrom(-3_600_000, -1, 0, 1, 3_600_000)
      .map((d) => new Date(NOW.getTime() + d).toISOString());
    const timedRule = fc
      .record(
        {
          path: patternArb,
          capabilities: ruleArb.map((r) => r.capabilities),
          notBefore: edge,
          expiresAt: edge,
        },
        { requiredKeys: ['path', 'capabilities'] },
      )
      .filter((r) => !(r.notBefore && r.expiresAt && r.expiresAt <= r.notBefore)); // the schema refuses these
    const timed = fc
      .array(fc.array(timedRule, { maxLength: 5 }), { maxLength: 4 })
      .map((ps) => ps.map((rules, i) => parsePolicy({ name: `t${i}`, rules })));
    fc.assert(
      fc.property(timed, pathArb, capArb, (policies, path, cap) => {
        expect(allows(policies, path, cap, NOW)).toBe(evaluate(policies, path, cap, NOW).allowed);
      }),
    );
    expect(allows([oncall], 'payments/prod/break-glass', 'delete', NOW)).toBe(true);
    expect(allows([oncall], 'payments/prod/db/root', 'read', NOW)).toBe(false);
  });
});
