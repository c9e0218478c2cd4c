import { describe, expect, it } from 'vitest';
import { expectHushError } from '../../test/support/expect-hush-error.js';
import { ipAllowed, parseCidrs } from './cidr.js';
import { boundClaimsProblem, claimGlobMatches } from './claim-match.js';
import { formatDuration, parseDuration } from './duration.js';

describe('claim globs', () => {
  it.each([
    ['acme/*', 'acme/payments', true],
    ['acme/*', 'acme/', true],
    ['acme/*', 'evil/acme/x', false],
    ['repo:*:ref:refs/heads/main', 'repo:acme/x:ref:refs/heads/main', true],
    ['repo:*:ref:refs/heads/main', 'repo:acme/x:ref:refs/heads/dev', false],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'ac', false],
    ['ab*ba', 'aba', false], // prefix and suffix must not overlap
    ['exact', 'exact', true],
    ['exact', 'exactly', false],
    ['.*', 'anything', false], // regex syntax is literal
  ])('%s vs %s -> %s', (pattern, value, expected) => {
    expect(claimGlobMatches(pattern, value)).toBe(expected);
  });

  it('bound claims: every claim must match; arrays match on any element; the value is never quoted', () => {
    const bound = { repository: 'acme/*', groups: ['admins', 'ops'] };
    expect(boundClaimsProblem(bound, { repository: 'acme/x', groups: ['dev', 'ops'] })).toBeUndefined();
    expect(boundClaimsProblem(bound, { repository: 'acme/x' })).toMatch(/no "groups" claim/);
    const p = boundClaimsProblem(bound, { repository: 'secret-org/x', groups: 'ops' });
    expect(p).toMatch(/"repository" claim does not match/);
    expect(p).not.toContain('secret-org');
    expect(boundClaimsProblem(bound, { repository: 42, groups: 'ops' })).toMatch(/repository/);
  });
});

describe('CIDR binding', () => {
  it('normalises and validates blocks', () => {
    expect(parseCidrs(['10.0.0.0/8', '192.168.1.7', '2001:db8::/32'], 'cidrs')).toEqual([
      '10.0.0.0/8',
      '192.168.1.7/32',
      '2001:db8::/32',
    ]);
    for (const bad of ['10.0.0.0/33', 'example.com', '10.0.0.0/x', '::1/129', '10.0.0.0/'])
      expectHushError(() => parseCidrs([bad], 'cidrs'), 'HUSH_E_INVALID_INPUT');
  });

  it('checks addresses, including IPv4-mapped IPv6', () => {
    const cidrs = parseCidrs(['10.0.0.0/8', '2001:db8::/32'], 'cidrs');
    expect(ipAllowed(cidrs, '10.255.0.1')).toBe(true);
    expect(ipAllowed(cidrs, '::ffff:10.1.1.1')).toBe(true);
    expect(ipAllowed(cidrs, '11.0.0.1')).toBe(false);
    expect(ipAllowed(cidrs, '2001:db8::5')).toBe(true);
    expect(ipAllowed(cidrs, '2001:db9::5')).toBe(false);
    expect(ipAllowed(cidrs, 'not-an-ip')).toBe(false);
    expect(ipAllowed([], '203.0.113.9')).toBe(true);
  });
});

describe('durations', () => {
  it('parses and formats', () => {
    expect(parseDuration('90s', 'ttl')).toBe(90_000);
    expect(parseDuration('1h', 'ttl')).toBe(3_600_000);
    expect(parseDuration('7d', 'ttl')).toBe(604_800_000);
    expect(formatDuration(3_600_000)).toBe('1h');
    expect(formatDuration(90_000)).toBe('90s');
    for (const bad of ['1 hour', '0s', '-1h', '1.5h', '', 'h'])
      expectHushError(() => parseDuration(bad, 'ttl'), 'HUSH_E_INVALID_INPUT');
  });
});
