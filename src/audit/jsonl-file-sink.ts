import { writeSync } from 'node:fs';
import { type FileHandle, mkdir, open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { type AuditRecord, parseAuditLine } from '../core/audit/audit-record.js';
import { canonicalRecordLine } from '../core/audit/hash-chain.js';
import { hushError } from '../core/errors/index.js';
import { DEFAULT_AUDIT_FILE, listAuditFiles } from './audit-files.js';
import type { AuditSink } from './audit-sink.js';
import { sinkUnavailable } from './sink-error.js';

/** Options for {@link createJsonlFileSink}. */
export interface JsonlFileSinkOptions {
  /** Directory holding `audit.log` and its rotated files; created with mode 0700 if missing. */
  readonly dir: string;
  readonly fileName?: string;
  /** Rotate before a write would take the live file past this size (default 64 MiB). */
  readonly maxBytes?: number;
  readonly required?: boolean;
  /**
   * When an append counts as durable. `fsync` (default): written and fsynced before the request is answered, so the
   * record survives a power cut. `write`: handed to the kernel before the answer (survives a crash or kill -9 of
   * the server, like Vault's file audit device) and fsynced in the background within `syncIntervalMs`; a failed
   * background fsync fails the next append (still fail closed).
   */
  readonly sync?: AuditFileSync;
  /** `write` mode: most time between a write and its fsync (default 100 ms). */
  readonly syncIntervalMs?: number;
}

/** Durability of the file audit sink; see {@link JsonlFileSinkOptions.sync}. */
export type AuditFileSync = 'fsync' | 'write';

const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

/**
 * A durable JSONL audit sink: each record is appended as one canonical-JSON line and fsynced before `append`
 * resolves. Files are mode 0600. When the live file would pass `maxBytes` it is renamed to `audit.log.1` (older ones
 * shift up) and a new file continues the same chain. A torn last line left by a crash is cut on open (it was never
 * acknowledged).
 *
 * @example
 * const sink = createJsonlFileSink({ dir: '/var/lib/hush/audit', maxBytes: 16 * 1024 * 1024 });
 */
export function createJsonlFileSink(options: JsonlFileSinkOptions): AuditSink {
  const fileName = options.fileName ?? DEFAULT_AUDIT_FILE;
  const livePath = join(options.dir, fileName);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const name = `file:${livePath}`;
  const hint = `check that ${options.dir} is a writable directory with free space`;
  let fd: FileHandle | undefined;
  let size = 0;
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;
  const syncEach = (options.sync ?? 'fsync') === 'fsync';
  const syncIntervalMs = options.syncIntervalMs ?? 100;
  let syncTimer: NodeJS.Timeout | undefined;
  // A background fsync failure in `write` mode: reported by the next append so the server fails closed.
  let syncFailure: unknown;

  /** `write` mode: fsync once within the interval after the first unsynced write (serialised with writes). */
  function scheduleSync(): void {
    if (syncTimer) return;
    syncTimer = setTimeout(() => {
      syncTimer = undefined;
      void serial(async () => {
        await fd?.sync();
      }).catch((err: unknown) => {
        syncFailure = err;
      });
    }, syncIntervalMs);
    syncTimer.unref();
  }

  /** Run sink operations one at a time so lines never interleave and rotation never races a write. */
  function serial<T>(task: () => Promise<T>): Promise<T> {
    const run = queue.then(task);
    queue = run.catch(() => undefined);
    return run;
  }

  async function ensureOpen(): Promise<FileHandle> {
    if (fd) return fd;
    try {
      await mkdir(options.dir, { recursive: true, mode: 0o700 });
      const handle = await open(livePath, 'a+', 0o600);
      try {
        await handle.chmod(0o600);
        size = await cutTornTail(handle);
      } catch (err) {
        await handle.close();
        throw err;
      }
      fd = handle;
      return handle;
    } catch (err) {
      throw sinkUnavailable(name, 'open its file', err, hint);
    }
  }

  async function rotate(): Promise<void> {
    await fd?.sync();
    await fd?.close();
    fd = undefined;
    try {
      const files = await listAuditFiles(options.dir, fileName);
      for (const f of files) await rename(f.path, join(options.dir, `${fileName}.${f.index + 1}`));
      await syncDir(options.dir);
    } catch (err) {
      throw sinkUnavailable(name, 'rotate its file', err, hint);
    }
  }

  /** Append lines, rotating between lines when needed; each run between rotations is one write and one fsync. */
  async function appendLines(lines: readonly string[]): Promise<void> {
    if (closed) throw hushError('AUDIT_SINK_CLOSED', { name });
    if (syncFailure !== undefined) {
      const err = syncFailure;
      syncFailure = undefined;
      throw sinkUnavailable(name, 'fsync earlier records', err, hint);
    }
    await ensureOpen();
    let run: string[] = [];
    let runBytes = 0;
    for (const line of lines) {
      const bytes = Buffer.byteLength(line, 'utf8');
      if (size + runBytes > 0 && size + runBytes + bytes > maxBytes) {
        await writeRun(run, runBytes);
        if (size > 0) await rotate();
        run = [];
        runBytes = 0;
      }
      run.push(line);
      runBytes += bytes;
    }
    await writeRun(run, runBytes);
  }

  async function writeRun(run: readonly string[], bytes: number): Promise<void> {
    if (run.length === 0) return;
    const handle = await ensureOpen();
    // One buffer per run, encoded once: lines stay strings until here.
    const data = Buffer.allocUnsafe(bytes);
    // allocUnsafe is only safe when the lines fill it exactly; a mismatch must never put stale memory in the file.
    if (data.write(run.length === 1 ? run[0]! : run.join(''), 0, 'utf8') !== bytes)
      throw sinkUnavailable(name, 'encode a record', new Error('line byte count mismatch'), hint);
    const before = size;
    try {
      let off = 0;
      if (syncEach) {
        while (off < data.length) off += (await handle.write(data, off, data.length - off)).bytesWritten;
        await handle.sync();
      } else {
        // `write` mode: a page-cache write of one batch takes microseconds; doing it synchronously skips the
        // thread-pool round trip that would otherwise cost more than the write itself.
        while (off < data.length) off += writeSync(handle.fd, data, off, data.length - off);
        scheduleSync();
      }
      size += data.length;
    } catch (err) {
      // Drop a partial write so the file stays parseable; reopen on the next append.
      await handle.truncate(before).catch(() => undefined);
      await handle.close().catch(() => undefined);
      fd = undefined;
      throw sinkUnavailable(name, 'write a record', err, hint);
    }
  }

  return {
    name,
    required: options.required ?? true,
    head: () =>
      serial(async () => {
        await ensureOpen();
        for (const f of (await listAuditFiles(options.dir, fileName)).reverse()) {
          const text = await lastLine(f.path);
          if (text === undefined) continue;
          const parsed = parseAuditLine(text);
          if (!parsed.ok) {
            throw hushError('LAST_LINE_NOT_VALID_AUDIT', { path: f.path, reason: parsed.reason });
          }
          return { seq: parsed.record.seq, hash: parsed.record.hash };
        }
        return undefined;
      }),
    append: (record) => serial(() => appendLines([toLine(record)])),
    appendBatch: (records) => serial(() => appendLines(records.map(toLine))),
    close: () =>
      serial(async () => {
        closed = true;
        clearTimeout(syncTimer);
        syncTimer = undefined;
        await fd?.sync();
        await fd?.close();
        fd = undefined;
      }),
  };
}

function toLine(record: AuditRecord): string {
  return `${canonicalRecordLine(record)}\n`;
}

/** Cut anything after the last newline (a line torn by a crash mid-write) and return the resulting size. */
async function cutTornTail(handle: FileHandle): Promise<number> {
  const { size } = await handle.stat();
  if (size === 0) return 0;
  const keep = await endOfLastCompleteLine(handle, size);
  if (keep !== size) {
    await handle.truncate(keep);
    await handle.sync();
  }
  return keep;
}

/** Offset just past the last '\n' (0 if none), reading backwards in chunks. */
async function endOfLastCompleteLine(handle: FileHandle, size: number): Promise<number> {
  const chunk = Buffer.alloc(64 * 1024);
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - chunk.length);
    const { bytesRead } = await handle.read(chunk, 0, end - start, start);
    const i = chunk.subarray(0, bytesRead).lastIndexOf(0x0a);
    if (i >= 0) return start + i + 1;
    end = start;
  }
  return 0;
}

/** The last complete line of a file, or undefined when it has none. */
async function lastLine(path: string): Promise<string | undefined> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const end = await endOfLastCompleteLine(handle, size);
    if (end === 0) return undefined;
    const start = await endOfLastCompleteLine(handle, end - 1);
    const buf = Buffer.alloc(end - 1 - start);
    await handle.read(buf, 0, buf.length, start);
    return buf.toString('utf8');
  } finally {
    await handle.close();
  }
}

/** fsync a directory so renames and new files survive a crash. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
