import { describe, expect, it } from 'vitest';
import type { AlertDraft } from '../src/core/alerts/alert.js';
import { createRuleSet } from '../src/core/alerts/rule-set.js';
import type { AuditRecord } from '../src/core/audit/audit-record.js';
import { alertsConfig, auditStream, read } from './alerts-support.js';

function replay(records: readonly AuditRecord[], config = alertsConfig()): AlertDraft[] {
  const rules = createRuleSet(config.rules);
  return records.flatMap((r) => rules.evaluate(r));
}

const denied = (identity: string | null, sourceAddress: string) => ({
  operation: 'secrets.read',
  outcome: 'denied' as const,
  errorCode: 'HUSH_E_FORBIDDEN',
  identity,
  sourceAddress,
  path: 'app/prod/db/password',
});

describe('denial burst', () => {
  it('alerts once per identity and once per address when N denials land within the window', () => {
    const rec = auditStream();
    const records = Array.from({ length: 25 }, (_, i) => rec(i, denied('user:mallory', '10.9.9.9')));
    const alerts = replay(records);
    expect(alerts.map((a) => [a.rule, a.identity ?? a.sourceAddress, a.count])).toEqual([
      ['denial-burst', 'user:mallory', 10],
      ['denial-burst', '10.9.9.9', 10],
    ]);
    expect(alerts[0]?.message).toContain('10 denied requests from identity user:mallory within 60 s');
    // A second storm after the cool-down (600 s) alerts again.
    const later = [
      ...records,
      ...Array.from({ length: 10 }, (_, i) => rec(700 + i, denied('user:mallory', '10.9.9.9'))),
    ];
    expect(replay(later)).toHaveLength(4);
  });

  it('stays quiet for denials spread wider than the window, and for anonymous denials from many addresses', () => {
    const rec = auditStream();
    const spread = Array.from({ length: 30 }, (_, i) => rec(i * 10, denied('user:amy', '10.0.0.1')));
    expect(replay(spread)).toEqual([]);
    const many = Array.from({ length: 30 }, (_, i) => rec(1000 + i, denied(null, `10.1.0.${i}`)));
    expect(replay(many)).toEqual([]);
  });
});

describe('bulk read', () => {
  const config = alertsConfig({
    rules: { bulkRead: { floor: 10, multiplier: 3, absoluteCap: 100, windowSeconds: 60 } },
  });

  it('flags an identity reading far more distinct secrets than its usual rate', () => {
    const rec = auditStream();
    const records: AuditRecord[] = [];
    // Ten quiet windows: 3 distinct secrets each, so the baseline settles near 3 (limit = max(10, 3 x ~3)).
    for (let w = 0; w < 10; w++)
      for (let i = 0; i < 3; i++) records.push(rec(w * 60 + i, read('approle:ci', `app/dev/k${i}`)));
    expect(replay(records, config)).toEqual([]);
    for (let i = 0; i < 40; i++) records.push(rec(600 + i, read('approle:ci', `app/prod/s${i}`)));
    const alerts = replay(records, config).filter((a) => a.rule === 'bulk-read');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ rule: 'bulk-read', identity: 'approle:ci', severity: 'critical' });
    expect(alerts[0]?.count).toBe(11);
  });

  it('does not flag a new identity on its first reads, nor re-reads of the same secrets', () => {
    const rec = auditStream();
    const first = Array.from({ length: 9 }, (_, i) => rec(i, read('user:new', `app/dev/k${i}`)));
    const rereads = Array.from({ length: 200 }, (_, i) =>
      rec(20 + i * 0.1, read('user:new', `app/dev/k${i % 5}`)),
    );
    expect(replay([...first, ...rereads], config)).toEqual([]);
  });

  it('alerts past the absolute cap whatever the baseline', () => {
    const rec = auditStream();
    const records: AuditRecord[] = [];
    const big = alertsConfig({
      rules: {
        bulkRead: { floor: 10, multiplier: 3, absoluteCap: 50, windowSeconds: 60, cooldownSeconds: 1 },
      },
    });
    // A heavy but steady reader: 45 per window raises its baseline near 45 (3 x 45 > the cap).
    for (let w = 0; w < 8; w++)
      for (let i = 0; i < 45; i++) records.push(rec(w * 60 + i, read('svc:etl', `d/w${w}/k${i}`)));
    const before = replay(records, big).length;
    for (let i = 0; i < 60; i++) records.push(rec(8 * 60 + i * 0.5, read('svc:etl', `d/burst/k${i}`)));
    const after = replay(records, big);
    expect(after.length - before).toBeGreaterThanOrEqual(1);
    expect(after.at(-1)?.message).toContain('over the absolute cap of 50');
  });
});

describe('production first access', () => {
  it('alerts on the first access of an identity to a production path, once', () => {
    const rec = auditStream();
    const alerts = replay([
      rec(0, read('user:amy', 'app/dev/db/password')),
      rec(1, read('user:amy', 'app/prod/db/password')),
      rec(2, read('user:amy', 'app/prod/db/password')),
      rec(3, read('user:bob', 'app/prod/db/password')),
    ]);
    expect(alerts.map((a) => [a.identity, a.path])).toEqual([
      ['user:amy', 'app/prod/db/password'],
      ['user:bob', 'app/prod/db/password'],
    ]);
  });

  it('remembers pairs restored from a previous run, and ignores denied or non-production access', () => {
    const config = alertsConfig();
    const rules = createRuleSet(config.rules);
    rules.productionAccess?.seen.restore(['user:amy\napp/prod/db/password']);
    const rec = auditStream();
    const out = [
      rec(0, read('user:amy', 'app/prod/db/password')),
      rec(1, { ...denied('user:eve', '10.0.0.9'), path: 'app/prod/db/password' }),
      rec(2, read('user:eve', 'app/staging/db/password')),
    ].flatMap((r) => rules.evaluate(r));
    expect(out).toEqual([]);
    expect(rules.productionAccess?.seen.entries()).toEqual(['user:amy\napp/prod/db/password']);
  });

  it('keeps memory bounded: the least recently seen pair is forgotten', () => {
    const rules = createRuleSet(
      alertsConfig({ rules: { productionAccess: { maxRemembered: 2, cooldownSeconds: 1 } } }).rules,
    );
    const rec = auditStream();
    const paths = ['a/prod/1', 'a/prod/2', 'a/prod/3', 'a/prod/1'];
    const out = paths.flatMap((p, i) => rules.evaluate(rec(i * 10, read('user:amy', p))));
    expect(out.map((a) => a.path)).toEqual(['a/prod/1', 'a/prod/2', 'a/prod/3', 'a/prod/1']);
    expect(rules.productionAccess?.seen.entries()).toHaveLength(2);
  });
});

describe('revoked or expired token use', () => {
  const presented = (reason: string) => ({
    operation: 'secrets.read',
    outcome: 'denied' as const,
    errorCode: 'HUSH_E_UNAUTHENTICATED',
    sourceAddress: '10.7.7.7',
    details: { reason },
  });

  it('alerts when an expired or revoked token is presented, once per source per cool-down', () => {
    const rec = auditStream();
    const alerts = replay([
      rec(0, presented('token-unknown')),
      rec(1, presented('token-unknown')),
      rec(2, { ...presented('token-expired'), sourceAddress: '10.8.8.8' }),
    ]);
    expect(alerts.map((a) => [a.rule, a.sourceAddress])).toEqual([
      ['token-misuse', '10.7.7.7'],
      ['token-misuse', '10.8.8.8'],
    ]);
    expect(alerts[1]?.message).toContain('an expired token');
  });

  it('ignores missing tokens, exhausted use-limited tokens and policy denials', () => {
    const rec = auditStream();
    expect(
      replay([
        rec(0, { operation: 'secrets.read', outcome: 'denied', errorCode: 'HUSH_E_UNAUTHENTICATED' }),
        rec(1, presented('token-exhausted')),
        rec(2, denied('user:amy', '10.0.0.1')),
      ]),
    ).toEqual([]);
  });
});

describe('off-hours access', () => {
  const config = alertsConfig({
    rules: {
      offHours: {
        windows: [
          {
            paths: ['*/prod/**'],
            timezone: 'Europe/Paris',
            days: ['mon', 'tue', 'wed', 'thu', 'fri'],
            startHour: 8,
            endHour: 19,
          },
        ],
      },
    },
  });
  // 2026-11-23 is a Monday; Paris is UTC+1 in November.
  const monday = Date.UTC(2026, 10, 23, 0, 0, 0);

  it('alerts on production access outside the local hours and days', () => {
    const rec = auditStream(monday);
    const alerts = replay(
      [
        rec(6 * 3600 + 30 * 60, read('user:amy', 'app/prod/db/password')), // 07:30 Paris
        rec(5 * 86400 + 12 * 3600, read('user:bob', 'app/prod/api-key')), // Saturday 13:00 Paris
      ],
      config,
    ).filter((a) => a.rule === 'off-hours');
    expect(alerts.map((a) => [a.identity, a.path])).toEqual([
      ['user:amy', 'app/prod/db/password'],
      ['user:bob', 'app/prod/api-key'],
    ]);
    expect(alerts[0]?.message).toContain('on mon at 07h Europe/Paris');
  });

  it('stays quiet inside business hours and for paths no window covers', () => {
    const rec = auditStream(monday);
    expect(
      replay(
        [
          rec(7 * 3600, read('user:amy', 'app/prod/db/password')), // 08:00 Paris
          rec(17 * 3600 + 59 * 60, read('user:amy', 'app/prod/db/password')), // 18:59 Paris
          rec(2 * 3600, read('user:amy', 'app/dev/db/password')), // 03:00, but not production
        ],
        config,
      ).filter((a) => a.rule === 'off-hours'),
    ).toEqual([]);
  });

  it('rejects an unknown time zone in config', () => {
    expect(() =>
      alertsConfig({ rules: { offHours: { windows: [{ paths: ['**'], timezone: 'Mars/Olympus' }] } } }),
    ).toThrow(/IANA time zone/);
  });
});

describe('login brute force', () => {
  const failedLogin = (sourceAddress: string, role = 'deploy') => ({
    operation: 'auth.jwt.login',
    outcome: 'denied' as const,
    errorCode: 'HUSH_E_UNAUTHENTICATED',
    sourceAddress,
    details: { role },
  });

  it('alerts on failed logins from one address and against one role from many addresses', () => {
    const rec = auditStream();
    const fromOne = Array.from({ length: 8 }, (_, i) => rec(i, failedLogin('10.6.6.6')));
    expect(replay(fromOne).map((a) => [a.rule, a.sourceAddress, a.identity])).toEqual([
      ['login-brute-force', '10.6.6.6', undefined],
      ['login-brute-force', '10.6.6.6', 'jwt:deploy'],
    ]);
    const spread = Array.from({ length: 5 }, (_, i) => rec(100 + i, failedLogin(`10.5.0.${i}`, 'ops')));
    expect(replay(spread).map((a) => a.identity)).toEqual(['jwt:ops']);
  });

  it('does not count logins that succeed, and a success clears the address', () => {
    const rec = auditStream();
    const records: AuditRecord[] = [];
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 3; i++) records.push(rec(round * 20 + i, failedLogin('10.4.4.4', `r${round}`)));
      records.push(
        rec(round * 20 + 5, { operation: 'auth.jwt.login', sourceAddress: '10.4.4.4', identity: null }),
      );
    }
    expect(replay(records)).toEqual([]);
  });
});

describe('config', () => {
  it('defaults every rule on and rejects unknown keys', () => {
    const c = alertsConfig();
    expect(c.rules.denialBurst).toMatchObject({ enabled: true, threshold: 10, windowSeconds: 60 });
    expect(c.expiry).toMatchObject({ leadTimeDays: 14 });
    expect(() => alertsConfig({ rules: { denialBurst: { treshold: 3 } } } as never)).toThrow();
  });

  it('a disabled rule raises nothing', () => {
    const rec = auditStream();
    const records = Array.from({ length: 20 }, (_, i) => rec(i, denied('user:mallory', '10.9.9.9')));
    expect(replay(records, alertsConfig({ rules: { denialBurst: { enabled: false } } }))).toEqual([]);
  });
});
