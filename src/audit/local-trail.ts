import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { HushError } from '../core/errors/hush-error.js';
import { hushError } from '../core/errors/index.js';
import { type AuditEventInput, createAuditLog } from './audit-log.js';
import { createJsonlFileSink } from './jsonl-file-sink.js';

/** File name of the trail local CLI use writes in the data directory (apart from the server's `audit.jsonl`). */
export const LOCAL_AUDIT_FILE = 'audit-local.jsonl';

/** Options of {@link createLocalTrail}. */
export interface LocalTrailOptions {
  readonly dir: string;
  readonly hmacKey: Uint8Array;
  readonly fileName?: string;
  /** How long to wait for another process holding the trail's lock (default 30 s). */
  readonly lockWaitMs?: number;
}

/**
 * The hash-chained trail of local CLI use. Several `hush` processes may write it at once, so each append takes an
 * exclusive lock file (`<file>.lock`, created O_EXCL, holding the writer's pid; a lock whose process is gone is
 * broken), resumes the chain from the file's newest record, appends and fsyncs, then releases the lock: the chain
 * never forks. Throws HUSH_E_AUDIT_UNAVAILABLE when the record cannot be written (the command must then fail).
 */
export function createLocalTrail(options: LocalTrailOptions) {
  const fileName = options.fileName ?? LOCAL_AUDIT_FILE;
  const lockPath = join(options.dir, `${fileName}.lock`);
  return {
    /** Append one record durably, under the lock; resolves with its place in the chain. */
    async append(event: AuditEventInput): Promise<{ readonly seq: number }> {
      const release = await acquireLock(lockPath, options.lockWaitMs ?? 30_000);
      try {
        const log = await createAuditLog({
          sinks: [createJsonlFileSink({ dir: options.dir, fileName })],
          hmacKey: options.hmacKey,
        });
        try {
          const record = await log.append(event);
          return { seq: record.seq };
        } finally {
          await log.close();
        }
      } finally {
        await release();
      }
    },
  };
}

async function acquireLock(path: string, waitMs: number): Promise<() => Promise<void>> {
  const deadline = Date.now() + waitMs;
  for (let attempt = 0; ; attempt += 1) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return () => unlink(path).catch(() => {});
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') throw unavailable(path, code ?? 'error');
    }
    if (await holderIsGone(path)) {
      await unlink(path).catch(() => {});
      continue;
    }
    if (Date.now() > deadline) throw unavailable(path, 'held by another hush process');
    await delay(Math.min(5 + attempt, 50));
  }
}

/** Whether the lock's writer process no longer exists (it was killed while holding it). */
async function holderIsGone(path: string): Promise<boolean> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  const pid = Number.parseInt(text ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0) return false; // being written right now: wait
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function unavailable(path: string, why: string): HushError {
  return hushError('CANNOT_WRITE_LOCAL_AUDIT_TRAIL', { path, why });
}
