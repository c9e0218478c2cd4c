import { readFileSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import type { SeenPairs } from '../core/alerts/production-access.js';
import type { AlertLogger } from './alert-logger.js';

const DEBOUNCE_MS = 2000;

/**
 * Persist the first-access rule's (identity, path) pairs in `file` (JSON, mode 0600, replaced atomically), so a
 * restart does not re-alert on every known pair. The file holds identities and paths (no values, no tokens); a
 * missing or unreadable file only means the memory is rebuilt from live traffic. Returns `flush` for shutdown.
 */
export function persistSeenPairs(seen: SeenPairs, file: string, logger: AlertLogger) {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { pairs?: unknown };
    if (Array.isArray(parsed.pairs)) seen.restore(parsed.pairs.filter((p) => typeof p === 'string'));
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'ENOENT') {
      logger.warn({ file }, 'alerts state file unreadable; first-access memory starts empty');
    }
  }
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();

  async function write(): Promise<void> {
    const tmp = `${file}.tmp`;
    const handle = await open(tmp, 'w', 0o600);
    try {
      await handle.writeFile(JSON.stringify({ v: 1, pairs: seen.entries() }));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  }

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    writing = writing
      .then(write)
      .catch(() =>
        logger.warn({ file }, 'could not write the alerts state file; memory kept in process only'),
      );
    return writing;
  }

  seen.onChange = () => {
    if (timer) return;
    timer = setTimeout(() => void flush(), DEBOUNCE_MS);
    timer.unref();
  };
  return { flush };
}
