import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { HushError } from '../core/errors/hush-error.js';

/**
 * Write a secret file atomically: a temp file created 0600 (exclusive) in the same directory, written and fsynced,
 * then renamed over `path`, so readers see the old file or the whole new one, never a partial one. The temp file
 * is removed on any failure.
 */
export async function writeSecretFileAtomic(path: string, text: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.hush-tmp`);
  let created = false;
  try {
    const handle = await open(temp, 'wx', 0o600);
    created = true;
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
    created = false;
  } catch (err) {
    if (created) await unlink(temp).catch(() => undefined);
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new HushError(
      'HUSH_E_INVALID_INPUT',
      `cannot write ${path} (${code}); choose a writable path for --out`,
    );
  }
}
