import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectHushErrorAsync } from '../../../test/support/expect-hush-error.js';
import { generateKey } from '../../core/crypto/random.js';
import { ShamirSeal } from './shamir-seal.js';
import { decodeShare, encodeShare } from './share-codec.js';

const rootKey = generateKey();
const seal = new ShamirSeal();
const { record, oneTime } = await seal.init(rootKey);
const shares = [...(oneTime?.shares ?? [])];

describe('ShamirSeal', () => {
  it('defaults to 5 shares with threshold 3 and persists no key material', () => {
    expect(shares).toHaveLength(5);
    // init wipes its own buffers, never the caller's key.
    expect(rootKey.some((b) => b !== 0)).toBe(true);
    expect(oneTime?.threshold).toBe(3);
    expect(record).toMatchObject({ kind: 'shamir', version: 1, shares: 5, threshold: 3 });
    const json = JSON.stringify(record);
    expect(json).not.toContain(rootKey.toString('base64'));
    expect(json).not.toContain(rootKey.toString('hex'));
    for (const s of shares) {
      const data = /^hush-share-[0-9a-f]{8}-\d+-(.+)-[0-9a-f]{8}$/.exec(s)?.[1];
      expect(data).toHaveLength(44);
      expect(json).not.toContain(data);
    }
  });

  it('prints shares with a recognisable prefix, a number and a checksum', () => {
    shares.forEach((s, i) => {
      expect(s).toMatch(
        new RegExp(`^hush-share-${String(record['set'])}-${i + 1}-[A-Za-z0-9_-]{44}-[0-9a-f]{8}$`),
      );
    });
  });

  it('unseals from any threshold-sized subset, in any order, and from all shares', async () => {
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(shares, { minLength: 3 }), async (subset) => {
        expect((await seal.unseal(record, { shares: subset })).equals(rootKey)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('round-trips for any valid shares/threshold', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 2, max: 12 })
          .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 2, max: n }))),
        async ([n, t]) => {
          const s = new ShamirSeal({ shares: n, threshold: t });
          const key = generateKey();
          const init = await s.init(key);
          const printed = init.oneTime?.shares ?? [];
          expect(printed).toHaveLength(n);
          expect((await s.unseal(init.record, { shares: printed.slice(n - t) })).equals(key)).toBe(true);
          if (t > 2) {
            await expectHushErrorAsync(
              s.unseal(init.record, { shares: printed.slice(0, t - 1) }),
              'HUSH_E_UNSEAL_FAILED',
            );
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('accepts shares with stray whitespace and line breaks', async () => {
    const messy = shares.slice(0, 3).map((s) => `  ${s.slice(0, 30)}\n${s.slice(30)} `);
    expect((await seal.unseal(record, { shares: messy })).equals(rootKey)).toBe(true);
  });

  it('says how many more shares are needed', async () => {
    const err = await expectHushErrorAsync(
      seal.unseal(record, { shares: shares.slice(0, 2) }),
      'HUSH_E_UNSEAL_FAILED',
    );
    expect(err.message).toBe('got 2 of 3 required shares; supply 1 more');
    const none = await expectHushErrorAsync(seal.unseal(record, {}), 'HUSH_E_UNSEAL_FAILED');
    expect(none.message).toContain('needs 3 of its 5 shares');
  });

  it('reports a mistyped share by position before combining, without echoing it', async () => {
    const s1 = shares[1] ?? '';
    const i = 30; // inside the data part
    const typo = s1.slice(0, i) + (s1[i] === 'A' ? 'B' : 'A') + s1.slice(i + 1);
    const err = await expectHushErrorAsync(
      seal.unseal(record, { shares: [shares[0] ?? '', typo, shares[2] ?? ''] }),
      'HUSH_E_UNSEAL_FAILED',
    );
    expect(err.message).toBe('share 2 is malformed (checksum mismatch); re-enter it exactly as printed');
    expect(err.message).not.toContain(s1.slice(15, 40));
  });

  it('reports every single-character typo in a share as malformed', async () => {
    const s = shares[0] ?? '';
    for (let i = 0; i < s.length; i++) {
      const swapped = s[i] === 'a' ? 'b' : 'a';
      const typo = s.slice(0, i) + swapped + s.slice(i + 1);
      const err = await expectHushErrorAsync(
        seal.unseal(record, { shares: [typo, shares[1] ?? '', shares[2] ?? ''] }),
        'HUSH_E_UNSEAL_FAILED',
      );
      expect(err.message).toMatch(/^share 1 is malformed \(/);
    }
  });

  it('rejects text that is not a share at all', async () => {
    const err = await expectHushErrorAsync(
      seal.unseal(record, { shares: ['hello', shares[0] ?? '', shares[1] ?? ''] }),
      'HUSH_E_UNSEAL_FAILED',
    );
    expect(err.message).toContain('share 1 is malformed (expected the form hush-share-');
  });

  it('reports material of the wrong type as a bad share, not a crash', async () => {
    const bogus = [shares[0], 42, shares[1]] as unknown as string[];
    const err = await expectHushErrorAsync(seal.unseal(record, { shares: bogus }), 'HUSH_E_UNSEAL_FAILED');
    expect(err.message).toContain('share 2 is malformed (expected text, got number)');
    const notList = { shares: 'hush-share-…' } as unknown as { shares: string[] };
    await expectHushErrorAsync(seal.unseal(record, notList), 'HUSH_E_UNSEAL_FAILED');
  });

  it('detects duplicate shares', async () => {
    const a = shares[0] ?? '';
    const err = await expectHushErrorAsync(
      seal.unseal(record, { shares: [a, shares[1] ?? '', `${a}\n`] }),
      'HUSH_E_UNSEAL_FAILED',
    );
    expect(err.message).toBe('share 3 duplicates share 1 (both are share #1); supply a different share');
  });

  it('names a share printed for another store', async () => {
    const other = await new ShamirSeal().init(generateKey());
    const foreign = other.oneTime?.shares?.[0] ?? '';
    const err = await expectHushErrorAsync(
      seal.unseal(record, { shares: [shares[0] ?? '', foreign, shares[2] ?? ''] }),
      'HUSH_E_UNSEAL_FAILED',
    );
    expect(err.message).toContain('share 2 belongs to another store');
  });

  it('refuses shares that are well-formed but do not rebuild the key', async () => {
    // An altered share with a recomputed checksum passes the codec; only the wrapped root key can tell.
    const real = decodeShare(shares[2] ?? '', 3, 33);
    const bytes = Uint8Array.from(real.bytes);
    bytes[0] = (bytes[0] ?? 0) ^ 1;
    const altered = encodeShare(real.setId, real.index, bytes);
    const err = await expectHushErrorAsync(
      seal.unseal(record, { shares: [shares[0] ?? '', shares[1] ?? '', altered] }),
      'HUSH_E_UNSEAL_FAILED',
    );
    expect(err.message).toBe(
      'the shares do not reconstruct the unseal key (at least one belongs to another store or was altered)',
    );
  });

  it("treats a damaged record as HUSH_E_INTEGRITY and another seal kind's record as HUSH_E_CONFIG", async () => {
    const three = shares.slice(0, 3);
    const damaged = { ...record, threshold: 'three' };
    expect(
      (await expectHushErrorAsync(seal.unseal(damaged, { shares: three }), 'HUSH_E_INTEGRITY')).message,
    ).toContain('threshold');
    const foreign = await expectHushErrorAsync(
      seal.unseal({ ...record, kind: 'rsa' }, { shares: three }),
      'HUSH_E_CONFIG',
    );
    expect(foreign.message).toContain('configure the rsa seal');
    const wrapped = Buffer.from(String(record['wrappedRootKey']), 'base64');
    wrapped[wrapped.length - 1] = (wrapped[wrapped.length - 1] ?? 0) ^ 1;
    const tampered = { ...record, wrappedRootKey: wrapped.toString('base64') };
    await expectHushErrorAsync(seal.unseal(tampered, { shares: three }), 'HUSH_E_UNSEAL_FAILED');
  });

  it('rejects a root key of the wrong size', async () => {
    await expect(seal.init(new Uint8Array(16))).rejects.toThrow(RangeError);
  });
});
