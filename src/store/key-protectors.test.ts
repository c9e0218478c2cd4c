import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aesTestWrapper, sqliteStores, wrapForImport } from '../../test/support/byok-support.js';
import { expectHushErrorAsync } from '../../test/support/expect-hush-error.js';
import { KeyFileSeal } from '../seal/key-file/key-file-seal.js';
import { keyringKey } from './storage-keys.js';

const actor = 'user:test';
const setup = sqliteStores();

/** Rewrite the protector named in a protected keyring row's header (same length keeps the framing valid). */
function renameProtector(row: Buffer, from: string, to: string): Buffer {
  const at = row.indexOf(Buffer.from(from, 'latin1'));
  expect(at).toBeGreaterThan(0);
  const header = row
    .subarray(8, row.readUInt32BE(4) + 8)
    .toString('utf8')
    .replace(from, to);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(Buffer.byteLength(header));
  return Buffer.concat([
    row.subarray(0, 4),
    length,
    Buffer.from(header),
    row.subarray(8 + row.readUInt32BE(4)),
  ]);
}

describe('keyring protectors (real SQLite)', () => {
  it('a tampered protector field or a replayed root-sealed row is HUSH_E_INTEGRITY', async () => {
    const t = await setup();
    await t.store.put('p/prod/db', 'prod-secret', { actor });
    const rootSealed = Buffer.from((await t.raw.get(keyringKey('p', 'prod')))!.value);
    const token = await t.store.importWrappingKey({ scope: 'p/prod' });
    const { protector } = await t.store.importKey(
      'p/prod',
      wrapForImport(token.publicKeyPem, randomBytes(32)),
    );
    const good = Buffer.from((await t.raw.get(keyringKey('p', 'prod')))!.value);
    const attacks: [string, (row: Buffer) => Buffer][] = [
      ['another fingerprint', (row) => renameProtector(row, protector, 'imported:0000000000000000')],
      ['an external wrapper', (row) => renameProtector(row, protector, 'hsm:weak')],
      ['the root key', (row) => renameProtector(row, protector, 'root')],
      ['the old root-sealed row (downgrade)', () => rootSealed],
      ['header stripped', (row) => row.subarray(8 + row.readUInt32BE(4))],
      ['a flipped body byte', (row) => Buffer.concat([row.subarray(0, -1), Buffer.of(row.at(-1)! ^ 1)])],
    ];
    for (const [name, change] of attacks) {
      await t.tamper(keyringKey('p', 'prod'), change);
      const fresh = await t.open();
      await fresh.unseal();
      const err = await expectHushErrorAsync(fresh.get('p/prod/db'), 'HUSH_E_INTEGRITY');
      expect(err.message, name).toContain('p/prod');
      await t.tamper(keyringKey('p', 'prod'), () => good);
    }
    const fresh = await t.open();
    await fresh.unseal();
    expect((await fresh.get('p/prod/db')).value).toBe('prod-secret');
  });

  it('an external KeyWrapper protects a keyring; without it that keyring alone fails, naming it', async () => {
    const hsm = aesTestWrapper('test-hsm');
    const t = await setup({ keyWrappers: { 'test-hsm': hsm } });
    await t.store.put('p/prod/db', 'prod-secret', { actor });
    await t.store.put('q/prod/db', 'q-secret', { actor });
    await expectHushErrorAsync(
      t.store.setKeyringProtector('p/prod', 'hsm:missing'),
      'HUSH_E_KEY_UNAVAILABLE',
    );
    const change = await t.store.setKeyringProtector('p/prod', 'hsm:test-hsm');
    expect(change).toMatchObject({ previous: 'root', protector: 'hsm:test-hsm', changed: true });
    expect(hsm.calls).toBe(1); // wrapped the keyring's data key
    expect((await t.store.get('p/prod/db')).value).toBe('prod-secret');
    await t.store.rotateKek('p/prod');
    await t.store.rewrap('p/prod', { prune: true });
    await t.store.put('p/prod/db', 'v2', { actor });
    // Another process with the same wrapper reads it; one without it fails for p/prod only.
    const withHsm = await t.open({ keyWrappers: { 'test-hsm': hsm } });
    await withHsm.unseal();
    expect((await withHsm.get('p/prod/db')).value).toBe('v2');
    expect((await withHsm.keysStatus()).keyrings.find((k) => k.scope === 'p/prod')).toMatchObject({
      protector: 'hsm:test-hsm',
      current: 2,
      versions: [{ version: 2 }],
    });
    const without = await t.open({ keyWrappers: {} });
    await without.unseal();
    const err = await expectHushErrorAsync(without.get('p/prod/db'), 'HUSH_E_KEY_UNAVAILABLE');
    expect(err.message).toContain('keyring p/prod');
    expect(err.message).toContain('hsm:test-hsm');
    expect((await without.get('q/prod/db')).value).toBe('q-secret');
    // A wrapper under another key (the wrong HSM key) cannot unwrap: unavailable, not garbage.
    const wrongKey = await t.open({ keyWrappers: { 'test-hsm': aesTestWrapper('test-hsm') } });
    await wrongKey.unseal();
    await expectHushErrorAsync(wrongKey.get('p/prod/db'), 'HUSH_E_KEY_UNAVAILABLE');
    // Root rotation leaves an HSM-protected keyring alone (it does not depend on the root key).
    await t.store.rotateRoot({ seal: new KeyFileSeal({ path: join(t.dir, 'root2.key') }) });
    expect((await t.store.get('p/prod/db')).value).toBe('v2');
    expect((await t.store.get('q/prod/db')).value).toBe('q-secret');
    // And back to the root key.
    await t.store.setKeyringProtector('p/prod', 'root');
    expect((await t.store.get('p/prod/db')).value).toBe('v2');
    expect(Buffer.from((await t.raw.get(keyringKey('p', 'prod')))!.value)[0]).toBe(0x01);
  });

  it('keys status lists protector, KEK versions, rotation dates and the root key rotation', async () => {
    let now = new Date('2026-04-01T10:00:00Z');
    const t = await setup({ clock: () => now });
    await t.store.put('p/prod/db', 'x', { actor });
    now = new Date('2026-04-02T10:00:00Z');
    await t.store.rotateKek('p/prod');
    const status = await t.store.keysStatus();
    expect(status.root.initializedAt).toBe('2026-04-01T10:00:00.000Z');
    expect(status.root.lastRotatedAt).toBe('2026-04-01T10:00:00.000Z');
    expect(status.keyrings).toEqual([
      {
        scope: 'p/prod',
        protector: 'root',
        available: true,
        current: 2,
        versions: [
          { version: 1, createdAt: '2026-04-01T10:00:00.000Z' },
          { version: 2, createdAt: '2026-04-02T10:00:00.000Z' },
        ],
        lastRotatedAt: '2026-04-02T10:00:00.000Z',
      },
    ]);
    await t.store.seal({ persist: false });
    await expectHushErrorAsync(t.store.keysStatus(), 'HUSH_E_SEALED');
  });
});
