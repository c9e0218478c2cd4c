import { describe, expect, it } from 'vitest';
import { HushError } from '../errors/hush-error.js';
import { parsePolicy } from './compile-policy.js';
import { parsePolicyDocument } from './policy-schema.js';

function message(input: unknown): string {
  try {
    parsePolicyDocument(input);
  } catch (e) {
    expect(e).toBeInstanceOf(HushError);
    expect((e as HushError).code).toBe('HUSH_E_INVALID_INPUT');
    return (e as HushError).message;
  }
  throw new Error('expected the policy to be rejected');
}

describe('parsePolicyDocument', () => {
  it('accepts a valid document with time bounds', () => {
    const doc = parsePolicyDocument({
      name: 'payments-oncall',
      rules: [
        { path: 'payments/**', capabilities: ['read', 'list'] },
        {
          path: 'payments/prod/*',
          capabilities: ['update'],
          notBefore: '2026-01-01T00:00:00Z',
          expiresAt: '2026-01-02T00:00:00+01:00',
        },
        { path: 'payments/prod/root', capabilities: ['deny'] },
      ],
    });
    expect(doc.rules).toHaveLength(3);
  });

  it('names an unknown capability and lists the valid ones', () => {
    const msg = message({ name: 'p', rules: [{ path: 'a', capabilities: ['read', 'raed'] }] });
    expect(msg).toContain('policy "p" is invalid: rules[0].capabilities[1]: unknown capability "raed"');
    expect(msg).toContain(
      'read, list, create, update, delete, destroy, rotate, encrypt, decrypt, sign, verify, approve, admin, deny',
    );
  });

  it('rejects unknown keys (strict)', () => {
    expect(message({ name: 'p', rules: [], extra: 1 })).toMatch(/Unrecognized key: "extra"/);
    expect(message({ name: 'p', rules: [{ path: 'a', capabilities: ['read'], effect: 'allow' }] })).toMatch(
      /rules\[0\]: Unrecognized key: "effect"/,
    );
  });

  it('rejects deny mixed with grants, empty capability lists, bad globs and bad instants', () => {
    expect(message({ name: 'p', rules: [{ path: 'a', capabilities: ['deny', 'read'] }] })).toMatch(
      /"deny" .* must be the only capability/,
    );
    expect(message({ name: 'p', rules: [{ path: 'a', capabilities: [] }] })).toMatch(
      /at least one capability/,
    );
    expect(message({ name: 'p', rules: [{ path: 'a//b', capabilities: ['read'] }] })).toMatch(
      /rules\[0\]\.path: .*empty segment/,
    );
    expect(
      message({ name: 'p', rules: [{ path: 'a', capabilities: ['read'], expiresAt: 'tomorrow' }] }),
    ).toMatch(/rules\[0\]\.expiresAt: must be an ISO-8601 date-time/);
    expect(
      message({
        name: 'p',
        rules: [
          {
            path: 'a',
            capabilities: ['read'],
            notBefore: '2026-02-01T00:00:00Z',
            expiresAt: '2026-01-01T00:00:00Z',
          },
        ],
      }),
    ).toMatch(/expiresAt \(2026-01-01T00:00:00Z\) must be later than notBefore/);
  });

  it('rejects bad names and non-objects', () => {
    expect(message({ name: 'Bad Name', rules: [] })).toMatch(
      /^policy "Bad Name" is invalid: name: policy names/,
    );
    expect(message('nope')).toMatch(/^policy is invalid: /);
  });

  it('parsePolicy compiles globs and instants once', () => {
    const p = parsePolicy({
      name: 'p',
      rules: [{ path: 'a/*', capabilities: ['read', 'read'], expiresAt: '2026-01-01T00:00:00Z' }],
    });
    const rule = p.rules[0]!;
    expect(rule.capabilities).toEqual(['read']);
    expect(rule.expiresAt).toBe(Date.UTC(2026, 0, 1));
    expect(rule.glob.matches('a/b')).toBe(true);
    expect(Object.isFrozen(p)).toBe(true);
  });
});
