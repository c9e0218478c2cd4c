import { describe, expect, it } from 'vitest';
import { expectHushError, expectHushErrorAsync } from '../../../test/support/expect-hush-error.js';
import { aeadKeyWrapper, formatProtector, keyFingerprint, parseProtector } from './key-wrapper.js';
import { createKeyring, keyVersion, sealKeyring } from './keyring.js';
import { openKeyringWith, readKeyringHeader, sealKeyringWith } from './keyring-protected.js';
import { generateKey } from './random.js';

const t0 = new Date('2026-01-01T00:00:00Z');

describe('protected keyring rows', () => {
  it('round-trip under a wrapper, naming the protector; root rows read as root', async () => {
    const key = generateKey();
    const fp = keyFingerprint(key);
    const ring = createKeyring('p/e', t0);
    const row = await sealKeyringWith(
      aeadKeyWrapper(`imported:${fp}`, key, 'p/e'),
      { kind: 'imported', fingerprint: fp },
      ring,
    );
    const header = readKeyringHeader('p/e', row);
    expect(header.protector).toEqual({ kind: 'imported', fingerprint: fp });
    if (!('wrappedKey' in header)) throw new Error('expected a protected row');
    const opened = await openKeyringWith(aeadKeyWrapper(`imported:${fp}`, key, 'p/e'), 'p/e', header);
    expect(keyVersion(opened).key.equals(keyVersion(ring).key)).toBe(true);
    expect(row.includes(keyVersion(ring).key)).toBe(false);
    expect(readKeyringHeader('p/e', sealKeyring(generateKey(), ring)).protector).toEqual({ kind: 'root' });
  });

  it('refuses another key, another scope and a malformed header', async () => {
    const key = generateKey();
    const fp = keyFingerprint(key);
    const row = await sealKeyringWith(
      aeadKeyWrapper('imported:x', key, 'p/e'),
      { kind: 'imported', fingerprint: fp },
      createKeyring('p/e', t0),
    );
    const header = readKeyringHeader('p/e', row);
    if (!('wrappedKey' in header)) throw new Error('expected a protected row');
    await expectHushErrorAsync(
      openKeyringWith(aeadKeyWrapper('imported:x', generateKey(), 'p/e'), 'p/e', header),
      'HUSH_E_INTEGRITY',
    );
    await expectHushErrorAsync(
      openKeyringWith(aeadKeyWrapper('imported:x', key, 'p/f'), 'p/f', header),
      'HUSH_E_INTEGRITY',
    );
    const bad = Buffer.concat([row.subarray(0, 8), Buffer.from('{not json')]);
    expectHushError(() => readKeyringHeader('p/e', bad), 'HUSH_E_INTEGRITY');
  });

  it('parses and formats protector names strictly', () => {
    for (const text of ['root', 'imported:0123456789abcdef', 'hsm:prod-hsm.1']) {
      expect(formatProtector(parseProtector(text)!)).toBe(text);
    }
    for (const text of ['', 'hsm:', 'hsm:a b', 'imported:XYZ', 'imported:0123', 'kms:x', 'rooted']) {
      expect(parseProtector(text), text).toBeUndefined();
    }
  });

  it('reports a failing wrapper as HUSH_E_KEY_UNAVAILABLE naming the keyring', async () => {
    const broken = {
      id: 'down',
      wrap: async (): Promise<Buffer> => {
        throw new Error('device removed');
      },
      unwrap: async (): Promise<Buffer> => {
        throw new Error('device removed');
      },
    };
    const err = await expectHushErrorAsync(
      sealKeyringWith(broken, { kind: 'hsm', id: 'down' }, createKeyring('p/e', t0)),
      'HUSH_E_KEY_UNAVAILABLE',
    );
    expect(err.message).toContain('keyring p/e');
    expect(err.message).toContain('hsm:down');
    const key = generateKey();
    const row = await sealKeyringWith(
      aeadKeyWrapper('x', key, 'p/e'),
      { kind: 'hsm', id: 'down' },
      createKeyring('p/e', t0),
    );
    const header = readKeyringHeader('p/e', row);
    if (!('wrappedKey' in header)) throw new Error('expected a protected row');
    await expectHushErrorAsync(openKeyringWith(broken, 'p/e', header), 'HUSH_E_KEY_UNAVAILABLE');
  });
});
