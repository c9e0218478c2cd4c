import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh private directory under the OS temp dir, e.g. /tmp/hush-sqlite-AbC123. */
export async function makeTempDir(label: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `hush-${label}-`));
}

/** Remove a temp dir made by makeTempDir, restoring write permission first in case a test removed it. */
export async function removeTempDir(dir: string): Promise<void> {
  await chmod(dir, 0o700).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
}
