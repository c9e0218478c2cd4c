import { describe, expect, it } from 'vitest';
import { unsealedStores } from '../../test/support/test-store.js';

const unsealed = unsealedStores();
const actor = 'user:alice';

describe('what storage sees', () => {
  it('holds no plaintext of values, descriptions or tags', async () => {
    const t = await unsealed();
    const plain = [
      'hunter2-value',
      'nested-credential',
      'Payment DB description',
      'tag-name-x',
      'tag-value-y',
    ];
    await t.store.put('p/e/a', 'hunter2-value', {
      actor,
      description: 'Payment DB description',
      tags: { 'tag-name-x': 'tag-value-y' },
    });
    await t.store.put('p/e/b', { k: 'nested-credential' }, { actor });
    const rows = await t.dump();
    const keys = [...rows.keys()].sort();
    expect(keys).toEqual([
      'data/p/e/a#1',
      'data/p/e/b#1',
      'meta/p/e/a',
      'meta/p/e/b',
      'sys/keyring/p/e',
      'sys/seal',
    ]);
    for (const value of rows.values()) {
      for (const forms of [
        value.toString('utf8'),
        value.toString('latin1'),
        value.toString('base64'),
        value.toString('hex'),
      ]) {
        for (const p of plain) {
          expect(forms).not.toContain(p);
          expect(forms).not.toContain(Buffer.from(p).toString('base64'));
        }
      }
    }
    expect(rows.get('sys/seal')!.toString()).not.toContain(await readKeyB64(t.keyPath));
  });
});

async function readKeyB64(path: string): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  return (await readFile(path, 'utf8')).split(':')[1]!.trim();
}

describe('ciphertext is bound to its location', () => {
  it('a data row copied to another path or version fails with HUSH_E_INTEGRITY', async () => {
    const t = await unsealed();
    await t.store.put('p/e/a', 'A1', { actor });
    await t.store.put('p/e/a', 'A2', { actor });
    await t.store.put('p/e/b', 'B1', { actor });
    const a1 = (await t.backend.get('data/p/e/a#1'))!.value;
    await t.backend.put('data/p/e/b#1', a1);
    await expect(t.store.get('p/e/b')).rejects.toMatchObject({ code: 'HUSH_E_INTEGRITY' });
    await t.backend.put('data/p/e/a#2', a1);
    await expect(t.store.get('p/e/a')).rejects.toMatchObject({ code: 'HUSH_E_INTEGRITY' });
  });

  it('metadata copied to another path, or a flipped bit, fails with HUSH_E_INTEGRITY', async () => {
    const t = await unsealed();
    await t.store.put('p/e/a', 'A', { actor });
    await t.store.put('p/e/b', 'B', { actor });
    await t.backend.put('meta/p/e/b', (await t.backend.get('meta/p/e/a'))!.value);
    await expect(t.store.get('p/e/b')).rejects.toMatchObject({ code: 'HUSH_E_INTEGRITY' });
    const row = (await t.backend.get('data/p/e/a#1'))!.value;
    row[row.length - 1] = (row[row.length - 1] ?? 0) ^ 1;
    await t.backend.put('data/p/e/a#1', row);
    await expect(t.store.get('p/e/a')).rejects.toMatchObject({ code: 'HUSH_E_INTEGRITY' });
  });

  it('a keyring copied to another project/env fails with HUSH_E_INTEGRITY', async () => {
    const t = await unsealed();
    await t.store.put('p/e/a', 'A', { actor });
    await t.store.put('q/e/a', 'B', { actor });
    await t.backend.put('sys/keyring/q/e', (await t.backend.get('sys/keyring/p/e'))!.value);
    await expect(t.store.get('q/e/a')).rejects.toMatchObject({ code: 'HUSH_E_INTEGRITY' });
  });
});
