import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Default name of the live audit file; rotated files are `<name>.1` (newest) … `<name>.N` (oldest). */
export const DEFAULT_AUDIT_FILE = 'audit.log';

/** A file of the rotation set, with its rotation number (0 for the live file). */
export interface AuditFile {
  readonly path: string;
  readonly name: string;
  readonly index: number;
}

/** The rotation set in chain order: oldest rotated file first, live file last. Missing dir -> empty. */
export async function listAuditFiles(dir: string, fileName = DEFAULT_AUDIT_FILE): Promise<AuditFile[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const files: AuditFile[] = [];
  for (const name of names) {
    if (name === fileName) files.push({ path: join(dir, name), name, index: 0 });
    else if (name.startsWith(`${fileName}.`)) {
      const n = name.slice(fileName.length + 1);
      if (/^[1-9]\d*$/.test(n)) files.push({ path: join(dir, name), name, index: Number(n) });
    }
  }
  return files.sort((a, b) => b.index - a.index);
}
