import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readPkcs11Pin } from './pkcs11-pin.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hush-pin-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readPkcs11Pin', () => {
  it('reads the PIN file (trailing newline dropped) in preference to the environment', async () => {
    const file = join(dir, 'pin');
    await writeFile(file, '1234\n', { mode: 0o600 });
    expect(await readPkcs11Pin({ pinFile: file, env: { HUSH_PKCS11_PIN: '9999' } })).toBe('1234');
    expect(await readPkcs11Pin({ env: { HUSH_PKCS11_PIN: '9999' } })).toBe('9999');
    expect(await readPkcs11Pin({ env: {} })).toBeUndefined();
    expect(await readPkcs11Pin({ env: { HUSH_PKCS11_PIN: '' } })).toBeUndefined();
  });

  it('refuses a world-readable PIN file and names a missing one, never showing the PIN', async () => {
    const file = join(dir, 'pin');
    await writeFile(file, 'secret-pin\n');
    await chmod(file, 0o644);
    const err = await readPkcs11Pin({ pinFile: file, env: {} }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'HUSH_E_CONFIG',
      message: `the PKCS#11 PIN file ${file} is readable by other users (mode 644); run chmod 600 ${file}`,
    });
    await expect(readPkcs11Pin({ pinFile: join(dir, 'missing'), env: {} })).rejects.toMatchObject({
      code: 'HUSH_E_UNSEAL_FAILED',
      message: expect.stringMatching(/cannot read the PKCS#11 PIN file .*missing \(ENOENT\)/),
    });
  });
});
