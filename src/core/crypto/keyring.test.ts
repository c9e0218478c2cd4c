import { describe, expect, it } from 'vitest';
import { expectHushError } from '../../../test/support/expect-hush-error.js';
import { sealAead } from './aead.js';
import {
  createKeyring,
  keyVersion,
  openKeyring,
  pruneKeyring,
  rotateKeyring,
  sealKeyring,
} from './keyring.js';
import { generateKey } from './random.js';

const t0 = new Date('2026-01-01T00:00:00Z');
const t1 = new Date('2026-02-01T00:00:00Z');

describe('keyring', () => {
  it('starts at version 1 and rotates to a new current version, keeping old ones', () => {
    const r1 = createKeyring('payments/prod', t0);
    expect(r1.current).toBe(1);
    const r2 = rotateKeyring(r1, t1);
    const r3 = rotateKeyring(r2, t1);
    expect(r3.current).toBe(3);
    expect(r3.versions.map((v) => v.version)).toEqual([1, 2, 3]);
    expect(keyVersion(r3).version).toBe(3);
    expect(keyVersion(r3, 1).key.equals(keyVersion(r1, 1).key)).toBe(true);
    expect(keyVersion(r3, 2).createdAt).toBe(t1.toISOString());
    const keys = r3.versions.map((v) => v.key.toString('hex'));
    expect(new Set(keys).size).toBe(3);
    expect(r1.versions).toHaveLength(1);
  });

  it('round-trips through seal/open under the root key', () => {
    const root = generateKey();
    const ring = rotateKeyring(rotateKeyring(createKeyring('p/e', t0), t1), t1);
    const opened = openKeyring(root, 'p/e', sealKeyring(root, ring));
    expect(opened.scope).toBe('p/e');
    expect(opened.current).toBe(3);
    expect(opened.versions.map((v) => [v.version, v.key.toString('hex'), v.createdAt])).toEqual(
      ring.versions.map((v) => [v.version, v.key.toString('hex'), v.createdAt]),
    );
  });

  it('does not contain the key bytes in the sealed form', () => {
    const root = generateKey();
    const ring = createKeyring('p/e', t0);
    const sealed = sealKeyring(root, ring);
    const k = keyVersion(ring).key;
    expect(sealed.includes(k)).toBe(false);
    expect(sealed.includes(Buffer.from(k.toString('base64')))).toBe(false);
  });

  it('refuses to open under the wrong root key', () => {
    const sealed = sealKeyring(generateKey(), createKeyring('p/e', t0));
    const err = expectHushError(() => openKeyring(generateKey(), 'p/e', sealed), 'HUSH_E_INTEGRITY');
    expect(err.message).toContain('keyring p/e');
  });

  it('refuses a keyring moved to another scope', () => {
    const root = generateKey();
    const sealed = sealKeyring(root, createKeyring('p/prod', t0));
    expectHushError(() => openKeyring(root, 'p/dev', sealed), 'HUSH_E_INTEGRITY');
  });

  it('detects a flipped byte anywhere in a sealed keyring', () => {
    const root = generateKey();
    const sealed = sealKeyring(root, createKeyring('p/e', t0));
    for (let i = 0; i < sealed.length; i++) {
      const bad = Buffer.from(sealed);
      bad[i] = (bad[i] ?? 0) ^ 0x20;
      expectHushError(() => openKeyring(root, 'p/e', bad), 'HUSH_E_INTEGRITY');
    }
  });

  it('reports a well-sealed but malformed keyring as HUSH_E_INTEGRITY, not a crash', () => {
    const root = generateKey();
    const aad = { purpose: 'keyring', scope: 'p/e' };
    for (const body of ['not json', '{}', '{"scope":"p/e","current":2,"versions":[]}']) {
      const sealed = sealAead(root, Buffer.from(body), aad);
      expectHushError(() => openKeyring(root, 'p/e', sealed), 'HUSH_E_INTEGRITY');
    }
  });

  it('names the missing version when data references a pruned key', () => {
    const ring = rotateKeyring(createKeyring('p/e', t0), t1);
    const err = expectHushError(() => keyVersion(ring, 7), 'HUSH_E_INTEGRITY');
    expect(err.message).toContain('no key version 7');
    expect(err.message).toContain('1, 2');
  });

  it('prunes old versions, wiping their key bytes, and keeps the current one', () => {
    const r3 = rotateKeyring(rotateKeyring(createKeyring('p/e', t0), t1), t1);
    const v1 = keyVersion(r3, 1).key;
    const v3 = Buffer.from(keyVersion(r3, 3).key);
    const pruned = pruneKeyring(r3, 3);
    expect(pruned.versions.map((v) => v.version)).toEqual([3]);
    expect(pruned.current).toBe(3);
    expect(v1.every((b) => b === 0)).toBe(true);
    expect(keyVersion(pruned).key.equals(v3)).toBe(true);
    expectHushError(() => keyVersion(pruned, 1), 'HUSH_E_INTEGRITY');
    expect(rotateKeyring(pruned, t1).current).toBe(4);
  });

  it('refuses to prune the current version', () => {
    const r2 = rotateKeyring(createKeyring('p/e', t0), t1);
    expect(() => pruneKeyring(r2, 3)).toThrow(RangeError);
    expect(keyVersion(r2, 2).key.some((b) => b !== 0)).toBe(true);
  });
});
