import { describe, expect, it } from 'vitest';
import { isHushError } from '../errors/hush-error.js';
import {
  assertToken,
  generateToken,
  parseToken,
  TOKEN_LENGTH,
  TOKEN_PATTERN,
  tokenChecksum,
} from './token-format.js';
import { generateAccessor, generateRoleId, generateSecretId, tokenLookupId } from './token-ids.js';

const reasonOf = (s: unknown) => {
  const r = parseToken(s);
  if (r.ok) throw new Error('expected a rejection');
  return r.reason;
};

describe('generateToken / parseToken', () => {
  it('generates well-formed tokens of each type that parse', () => {
    for (const [type, code] of [
      ['service', 's'],
      ['batch', 'b'],
      ['recovery', 'r'],
    ] as const) {
      const t = generateToken(type);
      expect(t).toMatch(new RegExp(`^hush_${code}_[0-9A-Za-z]{49}$`));
      expect(t).toHaveLength(TOKEN_LENGTH);
      expect(parseToken(t)).toEqual({ ok: true, token: { type, typeCode: code } });
      expect(t.slice(-6)).toBe(tokenChecksum(t.slice(0, -6)));
    }
    expect(TOKEN_LENGTH).toBe(56);
  });

  it('never repeats', () => {
    const seen = new Set(Array.from({ length: 2000 }, () => generateToken('service')));
    expect(seen.size).toBe(2000);
  });

  it('rejects each malformation with a clear reason that does not echo the token', () => {
    const t = generateToken('service');
    const flipped = t.slice(0, 20) + (t[20] === 'a' ? 'b' : 'a') + t.slice(21);
    const cases: [unknown, RegExp][] = [
      [42, /not a string/],
      [`x${t}`, /starts with "hush_"/],
      [t.replace('hush_s_', 'hush_x_'), /hush_s_ \(service\), hush_b_ \(batch\) or hush_r_ \(recovery\)/],
      [t.slice(0, -1), /56 characters long; this one is 55/],
      [`${t}A`, /this one is 57/],
      [`${t.slice(0, 30)}-${t.slice(31)}`, /outside 0-9A-Za-z at position 31/],
      [flipped, /checksum does not match/],
      [`${t.slice(0, -6)}000000`, /checksum does not match/],
    ];
    for (const [input, re] of cases) {
      const reason = reasonOf(input);
      expect(reason).toMatch(re);
      expect(reason).not.toContain(t.slice(7, 20));
    }
    expect(parseToken(` ${t}\n`).ok).toBe(true);
  });

  it('assertToken throws HUSH_E_UNAUTHENTICATED', () => {
    try {
      assertToken('hush_s_nope');
      expect.unreachable();
    } catch (e) {
      expect(isHushError(e, 'HUSH_E_UNAUTHENTICATED')).toBe(true);
    }
    expect(assertToken(generateToken('batch')).type).toBe('batch');
  });

  it('TOKEN_PATTERN finds tokens in text', () => {
    const t = generateToken('recovery');
    const text = `export HUSH_TOKEN=${t}\nother hush_s_short`;
    expect([...text.matchAll(TOKEN_PATTERN)].map((m) => m[0])).toEqual([t]);
  });
});

describe('ids', () => {
  it('tokenLookupId is a keyed, deterministic HMAC-SHA256', () => {
    const k1 = Buffer.alloc(32, 1);
    const k2 = Buffer.alloc(32, 2);
    const t = generateToken('service');
    expect(tokenLookupId(k1, t)).toMatch(/^[0-9a-f]{64}$/);
    expect(tokenLookupId(k1, t)).toBe(tokenLookupId(k1, t));
    expect(tokenLookupId(k1, t)).not.toBe(tokenLookupId(k2, t));
    // RFC 4231 test case 6 (131-byte key).
    expect(
      tokenLookupId(Buffer.alloc(131, 0xaa), 'Test Using Larger Than Block-Size Key - Hash Key First'),
    ).toBe('60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54');
    expect(() => tokenLookupId(Buffer.alloc(16), t)).toThrow(/16 bytes; it must be at least 32/);
  });

  it('accessors, role ids and secret ids have their shapes and are unique', () => {
    const a = generateAccessor();
    expect(a).toMatch(/^acc_[0-9A-Za-z]{32}$/);
    expect(parseToken(a).ok).toBe(false);
    expect(generateRoleId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(generateSecretId()).toMatch(/^[0-9A-Za-z]{40}$/);
    expect(new Set(Array.from({ length: 500 }, generateSecretId)).size).toBe(500);
    expect(new Set(Array.from({ length: 500 }, generateAccessor)).size).toBe(500);
  });
});
