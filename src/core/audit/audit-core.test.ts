import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, GENESIS_HEAD, parseAuditLine } from './audit-record.js';
import { canonicalJson } from './canonical-json.js';
import { canonicalRecordLine, chainRecord, computeRecordHash } from './hash-chain.js';
import { hmacField } from './hmac-field.js';
import { redactEvent, redactForAudit } from './redact.js';
import { searchAudit } from './search-audit.js';
import { buildChain, sampleEvent } from './test-events.js';

const KEY = Buffer.alloc(32, 7);

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'x', null], c: true }, u: undefined })).toBe(
      '{"a":{"c":true,"d":[1,"x",null]},"b":1}',
    );
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(TypeError);
  });

  it('is independent of key insertion order and round-trips through JSON.parse', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        const s = canonicalJson(obj);
        return s === canonicalJson(reversed) && canonicalJson(JSON.parse(s)) === s;
      }),
    );
  });
});

describe('hmacField', () => {
  it('is deterministic, keyed and prefixed', () => {
    expect(hmacField(KEY, 'x')).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(hmacField(KEY, 'x')).toBe(hmacField(KEY, Buffer.from('x')));
    expect(hmacField(KEY, 'x')).not.toBe(hmacField(Buffer.alloc(32, 8), 'x'));
    expect(() => hmacField(Buffer.alloc(8), 'x')).toThrow(/8 bytes/);
  });
});

describe('redactForAudit', () => {
  it('HMACs every field named like a secret, at any depth, and keeps the rest', () => {
    const out = redactForAudit(KEY, {
      version: 3,
      newValue: 's3cret',
      nested: { dbPassword: 'hunter2', list: [{ apiKey: 'k', name: 'n' }], Authorization: 'Bearer x' },
      secret_id: 42,
      ok: true,
      when: new Date(0),
      blob: Buffer.from('raw'),
    }) as Record<string, unknown>;
    expect(out).toEqual({
      version: 3,
      newValue: hmacField(KEY, 's3cret'),
      nested: {
        dbPassword: hmacField(KEY, 'hunter2'),
        list: [{ apiKey: hmacField(KEY, 'k'), name: 'n' }],
        Authorization: hmacField(KEY, 'Bearer x'),
      },
      secret_id: hmacField(KEY, '42'),
      ok: true,
      when: '1970-01-01T00:00:00.000Z',
      blob: hmacField(KEY, Buffer.from('raw')),
    });
    expect(JSON.stringify(out)).not.toMatch(/s3cret|hunter2|Bearer/);
  });

  it('HMACs any string containing a Hush token, whatever its field name', () => {
    const t = `hush_s_${'A'.repeat(49)}`;
    const out = redactForAudit(KEY, { note: `header was ${t}`, arr: [t] });
    expect(JSON.stringify(out)).not.toContain(t);
    expect(out).toEqual({ note: hmacField(KEY, `header was ${t}`), arr: [hmacField(KEY, t)] });
  });

  it('cuts cycles, keeps existing HMACs and never leaks under random sensitive keys', () => {
    const cyc: Record<string, unknown> = { a: 1 };
    cyc['self'] = cyc;
    expect(redactForAudit(KEY, cyc)).toEqual({ a: 1, self: '[truncated]' });
    const h = hmacField(KEY, 'v');
    expect(redactForAudit(KEY, { token: h })).toEqual({ token: h });
    // A value that merely starts like an HMAC is still a value: it is hashed, not kept.
    const lookalike = 'hmac-sha256:my-actual-password';
    expect(redactForAudit(KEY, { password: lookalike })).toEqual({ password: hmacField(KEY, lookalike) });
    fc.assert(
      fc.property(
        fc.constantFrom('token', 'clientSecret', 'PASSWORD', 'value', 'x-authorization'),
        fc.oneof(
          fc.string({ minLength: 4 }),
          fc.string().map((s) => `hmac-sha256:${s}`),
        ),
        (k, secret) =>
          !JSON.stringify(redactForAudit(KEY, { deep: [{ [k]: secret }] })).includes(JSON.stringify(secret)),
      ),
    );
  });

  it('redactEvent scrubs token-shaped core fields and redacts details', () => {
    const t = `hush_b_${'z'.repeat(49)}`;
    const e = redactEvent(KEY, sampleEvent(1, { path: t, details: { value: 'v', size: 3 } }));
    expect(e.path).toBe(hmacField(KEY, t));
    expect(e.details).toEqual({ value: hmacField(KEY, 'v'), size: 3 });
    expect(e.identity).toBe('user:amy');
  });
});

describe('hash chain', () => {
  it('links records by seq and prev, with hashes over canonical content', () => {
    const [a, b] = buildChain(2);
    expect(a).toMatchObject({ seq: 1, prev: GENESIS_HASH, v: 1 });
    expect(b).toMatchObject({ seq: 2, prev: a?.hash });
    expect(computeRecordHash(a!)).toBe(a?.hash);
    expect(computeRecordHash({ ...a!, path: 'other' })).not.toBe(a?.hash);
    expect(parseAuditLine(JSON.stringify(a))).toEqual({ ok: true, record: a });
    expect(parseAuditLine('{"seq":1}')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/not an audit record/),
    });
    expect(parseAuditLine('{')).toEqual({ ok: false, reason: 'the line is not valid JSON' });
  });
});

describe('canonicalRecordLine', () => {
  it('is byte-for-byte the canonical JSON of the chained record, and its hash matches the line', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null))),
        fc.option(fc.string(), { nil: undefined }),
        (details, path) => {
          const event = { ...sampleEvent(1), ...(path === undefined ? {} : { path }), details };
          const { record } = chainRecord(GENESIS_HEAD, event);
          const line = canonicalRecordLine(record);
          expect(line).toBe(canonicalJson(record));
          expect(computeRecordHash(JSON.parse(line))).toBe(record.hash);
          expect(Object.isFrozen(record)).toBe(true);
        },
      ),
    );
  });

  it('serialises a record it did not chain itself', () => {
    const [a] = buildChain(1);
    const copy = { ...a! };
    expect(canonicalRecordLine(copy)).toBe(canonicalJson(a));
  });
});

describe('searchAudit', () => {
  const records = buildChain(12);
  it('filters by path glob, identity, outcome, operation and time range', () => {
    expect(searchAudit(records, { path: 'billing/**' }).map((r) => r.seq)).toEqual([3, 6, 9, 12]);
    expect(
      searchAudit(records, { path: 'payments/prod/db/password', identity: 'approle:ci' }).map((r) => r.seq),
    ).toEqual([2, 4, 8, 10]);
    expect(searchAudit(records, { outcome: 'denied' }).map((r) => r.seq)).toEqual([4, 8, 12]);
    expect(
      searchAudit(records, {
        since: new Date(Date.UTC(2026, 5, 1, 12, 0, 5)),
        until: new Date(Date.UTC(2026, 5, 1, 12, 0, 7)),
      }).map((r) => r.seq),
    ).toEqual([5, 6]);
    expect(searchAudit(records, { operation: 'secret.write' })).toEqual([]);
    expect(searchAudit(records, {})).toHaveLength(12);
  });
});
