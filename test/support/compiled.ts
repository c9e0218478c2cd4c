import { readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository (worktree) root. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The compiled SQLite backend that child-process scripts import. */
export const COMPILED_SQLITE_BACKEND = join(REPO_ROOT, 'dist/storage/sqlite/sqlite-backend.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
      newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * Child scripts run the compiled backend (real separate processes cannot load .ts). Fail with the fix when dist
 * is missing or older than the sources it is built from, rather than silently testing stale code.
 */
export function assertCompiledBackend(): void {
  let built: number;
  try {
    built = statSync(COMPILED_SQLITE_BACKEND).mtimeMs;
  } catch {
    throw new Error(`${COMPILED_SQLITE_BACKEND} is missing; run \`npm run build\` first (npm test does it)`);
  }
  const sources = Math.max(
    newestMtime(join(REPO_ROOT, 'src/storage')),
    newestMtime(join(REPO_ROOT, 'src/core')),
  );
  if (sources > built) {
    throw new Error(
      `${COMPILED_SQLITE_BACKEND} is older than src/storage or src/core; run \`npm run build\``,
    );
  }
}
