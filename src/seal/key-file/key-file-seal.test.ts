import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateKey } from '../../core/crypto/random.js';
import { createSeal, sealConfigSchema } from '../index.js';
import { KeyFileSeal } from './key-file-seal.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hush-keyfile-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('KeyFileSeal', () => {
  it('seals and unseals the root key; the file is 0600 in a 0700 dir; the record holds no key', async () => {
    const path = join(dir, 'nested', 'root.key');
    const seal = new KeyFileSeal({ path });
    const root = generateKey();
    const { record, oneTime } = await seal.init(root);
    expect(oneTime).toBeUndefined();
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'nested'))).mode & 0o777).toBe(0o700);
    const file = await readFile(path, 'utf8');
    expect(JSON.stringify(record)).not.toContain(file.split(':')[1]?.trim());
    expect(JSON.stringify(record)).not.toContain(root.toString('base64'));
    expect(await seal.unseal(record, {})).toEqual(root);
    expect(seal.warning).toContain('development');
  });

  it('refuses to overwrite an existing key file', async () => {
    const path = join(dir, 'root.key');
    await writeFile(path, 'x');
    await expect(new KeyFileSeal({ path }).init(generateKey())).rejects.toMatchObject({
      code: 'HUSH_E_ALREADY_EXISTS',
    });
    expect(await readFile(path, 'utf8')).toBe('x');
  });

  it('fails to unseal with a missing, corrupted or wrong key file', async () => {
    const path = join(dir, 'root.key');
    const { record } = await new KeyFileSeal({ path }).init(generateKey());
    const other = join(dir, 'other.key');
    await new KeyFileSeal({ path: other }).init(generateKey());
    const cases: [string, RegExp][] = [
      [join(dir, 'missing.key'), /does not exist/],
      [other, /fingerprint differs/],
    ];
    for (const [p, message] of cases) {
      await expect(new KeyFileSeal({ path: p }).unseal(record, {})).rejects.toMatchObject({
        code: 'HUSH_E_UNSEAL_FAILED',
        message: expect.stringMatching(message),
      });
    }
    await writeFile(path, 'hush-key-file-v1:short\n');
    await expect(new KeyFileSeal({ path }).unseal(record, {})).rejects.toMatchObject({
      code: 'HUSH_E_UNSEAL_FAILED',
      message: expect.stringMatching(/is corrupted \(23 bytes/),
    });
  });

  it('rejects a tampered record', async () => {
    const path = join(dir, 'root.key');
    const seal = new KeyFileSeal({ path });
    const { record } = await seal.init(generateKey());
    const sealedRoot = Buffer.from(String(record.sealedRoot), 'base64');
    sealedRoot[20] = (sealedRoot[20] ?? 0) ^ 1;
    await expect(
      seal.unseal({ ...record, sealedRoot: sealedRoot.toString('base64') }, {}),
    ).rejects.toMatchObject({
      code: 'HUSH_E_UNSEAL_FAILED',
    });
    await expect(seal.unseal({ kind: 'shamir' }, {})).rejects.toMatchObject({ code: 'HUSH_E_UNSEAL_FAILED' });
  });
});

describe('createSeal', () => {
  it('builds a key-file seal and validates config strictly', () => {
    expect(createSeal({ kind: 'key-file', path: join(dir, 'k') }).kind).toBe('key-file');
    expect(sealConfigSchema.safeParse({ kind: 'key-file', path: 'x', extra: 1 }).success).toBe(false);
    expect(sealConfigSchema.safeParse({ kind: 'shamir', shares: 5, threshold: 3 }).success).toBe(true);
    expect(sealConfigSchema.safeParse({ kind: 'pkcs11' }).success).toBe(false);
  });
});

describe('KeyFileSeal file mode', () => {
  it('refuses a key file others may read, naming the explicit override; accepts it with the override', async () => {
    const { chmod } = await import('node:fs/promises');
    const path = join(dir, 'root.key');
    const root = generateKey();
    const { record } = await new KeyFileSeal({ path }).init(root);
    for (const mode of [0o644, 0o640, 0o444, 0o440]) {
      await chmod(path, mode);
      await expect(new KeyFileSeal({ path }).unseal(record, {}), mode.toString(8)).rejects.toMatchObject({
        code: 'HUSH_E_UNSEAL_FAILED',
        message: expect.stringMatching(
          new RegExp(
            `mode 0${mode.toString(8)}.*chmod 600.*HUSH_ALLOW_LOOSE_KEY_FILE=1.*seal.allowLooseMode`,
          ),
        ),
      });
      expect(await new KeyFileSeal({ path, allowLooseMode: true }).unseal(record, {})).toEqual(root);
    }
    // Writable by others is never accepted: whoever may write it may swap the key.
    for (const mode of [0o664, 0o666]) {
      await chmod(path, mode);
      await expect(new KeyFileSeal({ path, allowLooseMode: true }).unseal(record, {})).rejects.toMatchObject({
        code: 'HUSH_E_UNSEAL_FAILED',
        message: expect.stringMatching(/may read or replace the key.*chmod 600/),
      });
    }
  });

  it('takes allowLooseMode from the seal config', () => {
    const config = sealConfigSchema.parse({ kind: 'key-file', path: '/x/root.key', allowLooseMode: true });
    expect(createSeal(config)).toBeInstanceOf(KeyFileSeal);
    expect(config).toMatchObject({ allowLooseMode: true });
  });
});
