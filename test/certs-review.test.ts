import { join } from 'node:path';
import { expect, it } from 'vitest';
import { scanTreeForCerts } from '../src/certs/sources/scan-tree.js';
import { expectHushErrorAsync } from './support/expect-hush-error.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

it('certs scan --git names a missing path instead of claiming git is not installed', async () => {
  const dir = await makeTempDir('certs-review');
  try {
    const err = await expectHushErrorAsync(
      scanTreeForCerts([join(dir, 'nope')], { git: true }),
      'HUSH_E_NOT_FOUND',
    );
    expect(err.message).toContain(join(dir, 'nope'));
  } finally {
    await removeTempDir(dir);
  }
});
