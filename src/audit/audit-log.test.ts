import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../core/audit/audit-record.js';
import { hmacField } from '../core/audit/hmac-field.js';
import { verifyChain } from '../core/audit/verify-chain.js';
import { isHushError } from '../core/errors/hush-error.js';
import { type AuditEventInput, createAuditLog } from './audit-log.js';
import { createJsonlFileSink } from './jsonl-file-sink.js';
import { readAuditFiles, searchAuditFiles, verifyAuditFiles } from './read-audit-files.js';
import { createStdoutSink } from './stdout-sink.js';

const KEY = Buffer.alloc(32, 9);
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hush-audit-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const event = (i: number, over: Partial<AuditEventInput> = {}): AuditEventInput => ({
  requestId: `req-${i}`,
  operation: 'secret.read',
  outcome: i % 3 === 0 ? 'denied' : 'allowed',
  identity: i % 2 ? 'user:amy' : 'approle:ci',
  tokenAccessor: `acc_${i}`,
  path: `payments/prod/s${i}`,
  ...over,
});

async function writeLog(logDir: string, n: number, maxBytes?: number) {
  const log = await createAuditLog({
    sinks: [createJsonlFileSink({ dir: logDir, ...(maxBytes ? { maxBytes } : {}) })],
    hmacKey: KEY,
  });
  for (let i = 1; i <= n; i++) await log.append(event(i));
  await log.close();
}

const logPath = () => join(dir, 'audit.log');
async function rewrite(path: string, f: (lines: string[]) => string[]) {
  const lines = (await readFile(path, 'utf8')).split('\n').filter((l) => l !== '');
  await writeFile(path, `${f(lines).join('\n')}\n`);
}

describe('file-backed audit log', () => {
  it('writes durable, chained, redacted records to a 0600 file', async () => {
    const log = await createAuditLog({ sinks: [createJsonlFileSink({ dir })], hmacKey: KEY });
    const rec = await log.append(event(1, { details: { newValue: 'p@ss', version: 2 } }));
    // Acknowledged means on disk: a separate read sees it immediately.
    const text = await readFile(logPath(), 'utf8');
    expect(text).toBe(`${JSON.stringify(JSON.parse(text.trim()))}\n`);
    expect(JSON.parse(text)).toEqual(rec);
    expect(text).not.toContain('p@ss');
    expect(rec.details).toEqual({ newValue: hmacField(KEY, 'p@ss'), version: 2 });
    expect(rec).toMatchObject({ seq: 1, authMethod: null, sourceAddress: null, errorCode: null });
    expect((await stat(logPath())).mode & 0o777).toBe(0o600);
    await log.close();
    await expect(log.append(event(2))).rejects.toMatchObject({ code: 'HUSH_E_AUDIT_UNAVAILABLE' });
  });

  it('verify names an edited, deleted or reordered line of a real file', async () => {
    await writeLog(dir, 6);
    expect(await verifyAuditFiles(dir)).toMatchObject({ ok: true, checked: 6, head: { seq: 6 } });

    const original = await readFile(logPath(), 'utf8');
    await rewrite(logPath(), (l) =>
      l.map((x, i) => (i === 3 ? x.replace('"outcome":"allowed"', '"outcome":"denied"') : x)),
    );
    expect((await verifyAuditFiles(dir)).problem).toMatchObject({
      kind: 'edited',
      line: 4,
      seq: 4,
      file: 'audit.log',
    });

    await writeFile(logPath(), original);
    await rewrite(logPath(), (l) => l.filter((_, i) => i !== 2));
    const del = await verifyAuditFiles(dir);
    expect(del.problem).toMatchObject({ kind: 'deleted', line: 3, seq: 4 });
    expect(del.problem?.message).toBe(
      'record seq 3 is missing before audit.log:3 (seq 4): records were deleted',
    );

    await writeFile(logPath(), original);
    await rewrite(logPath(), (l) => [l[0]!, l[2]!, l[1]!, ...l.slice(3)]);
    expect((await verifyAuditFiles(dir)).problem).toMatchObject({ kind: 'reordered', line: 2, seq: 3 });
  });

  it('rotates by size, keeps one chain across files, and names the file of a problem', async () => {
    await writeLog(dir, 40, 2048);
    const names = (await readdir(dir)).sort();
    expect(names.length).toBeGreaterThan(3);
    expect(names).toContain('audit.log.1');
    for (const n of names) expect((await stat(join(dir, n))).size).toBeLessThanOrEqual(2048);
    const lines = [];
    for await (const l of readAuditFiles(dir)) lines.push(l);
    expect(lines.map((l) => JSON.parse(l.text).seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(await verifyAuditFiles(dir)).toMatchObject({ ok: true, checked: 40 });

    await rewrite(join(dir, 'audit.log.2'), (l) =>
      l.map((x, i) => (i === 1 ? x.replace('user:amy', 'user:eve').replace('approle:ci', 'user:eve') : x)),
    );
    expect((await verifyAuditFiles(dir)).problem).toMatchObject({
      kind: 'edited',
      file: 'audit.log.2',
      line: 2,
    });
  });

  it('resumes the chain after a restart and cuts a torn last line', async () => {
    await writeLog(dir, 3);
    await writeFile(logPath(), `${await readFile(logPath(), 'utf8')}{"seq":4,"prev":"tor`);
    const log = await createAuditLog({ sinks: [createJsonlFileSink({ dir })], hmacKey: KEY });
    expect(log.head().seq).toBe(3);
    expect((await log.append(event(4))).seq).toBe(4);
    await log.close();
    expect(await verifyAuditFiles(dir)).toMatchObject({ ok: true, checked: 4 });
  });

  it('refuses to resume from a corrupt tail', async () => {
    await writeLog(dir, 2);
    await writeFile(logPath(), `${await readFile(logPath(), 'utf8')}not json\n`);
    await expect(
      createAuditLog({ sinks: [createJsonlFileSink({ dir })], hmacKey: KEY }),
    ).rejects.toMatchObject({
      code: 'HUSH_E_INTEGRITY',
    });
  });

  it('keeps a valid chain under concurrent appends', async () => {
    const log = await createAuditLog({ sinks: [createJsonlFileSink({ dir, maxBytes: 8192 })], hmacKey: KEY });
    const recs = await Promise.all(Array.from({ length: 150 }, (_, i) => log.append(event(i + 1))));
    await log.close();
    expect(new Set(recs.map((r) => r.seq)).size).toBe(150);
    expect(await verifyAuditFiles(dir)).toMatchObject({ ok: true, checked: 150 });
  });

  it('group-commits concurrent appends: fewer writes than records, one valid chain', async () => {
    const chunks: string[] = [];
    const collect = new Writable({
      write(chunk, _enc, cb) {
        chunks.push(String(chunk));
        setTimeout(cb, 2);
      },
    });
    const log = await createAuditLog({
      sinks: [createJsonlFileSink({ dir, maxBytes: 4096 }), createStdoutSink({ stream: collect })],
      hmacKey: KEY,
      maxBatch: 16,
    });
    const recs = await Promise.all(Array.from({ length: 100 }, (_, i) => log.append(event(i + 1))));
    await log.close();
    expect(recs.map((r) => r.requestId)).toEqual(Array.from({ length: 100 }, (_, i) => `req-${i + 1}`));
    expect(chunks.length).toBeLessThan(100);
    expect(Math.max(...chunks.map((c) => c.split('\n').length - 1))).toBeLessThanOrEqual(16);
    const streamed = chunks.join('').trim().split('\n');
    expect(verifyChain(streamed.map((text, i) => ({ text, line: i + 1 })))).toMatchObject({
      ok: true,
      checked: 100,
    });
    expect(await verifyAuditFiles(dir)).toMatchObject({ ok: true, checked: 100 });
  });

  it('write mode: acknowledged records are in the file at once (fsync follows in the background)', async () => {
    const log = await createAuditLog({
      sinks: [createJsonlFileSink({ dir, sync: 'write', syncIntervalMs: 5 })],
      hmacKey: KEY,
    });
    const recs = await Promise.all(Array.from({ length: 40 }, (_, i) => log.append(event(i + 1))));
    const lines = (await readFile(logPath(), 'utf8')).trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).seq)).toEqual(recs.map((r) => r.seq));
    await new Promise((r) => setTimeout(r, 20));
    await log.append(event(41));
    await log.close();
    expect(await verifyAuditFiles(dir)).toMatchObject({ ok: true, checked: 41 });
  });

  it('tells subscribers about each durable record, in chain order, and survives a throwing one', async () => {
    const log = await createAuditLog({ sinks: [createJsonlFileSink({ dir })], hmacKey: KEY });
    const seen: number[] = [];
    log.subscribe(() => {
      throw new Error('observer bug');
    });
    const stop = log.subscribe((r) => seen.push(r.seq));
    await Promise.all(Array.from({ length: 20 }, (_, i) => log.append(event(i + 1))));
    stop();
    await log.append(event(21));
    await log.close();
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('search streams matching records across rotated files', async () => {
    await writeLog(dir, 30, 2048);
    const found: AuditRecord[] = [];
    for await (const r of searchAuditFiles(dir, { identity: 'user:amy', outcome: 'denied' })) found.push(r);
    expect(found.map((r) => r.seq)).toEqual([3, 9, 15, 21, 27]);
  });
});

describe('fail closed', () => {
  it('cannot start when the audit directory cannot exist (path under a regular file)', async () => {
    await writeFile(join(dir, 'file.txt'), 'x');
    const sink = createJsonlFileSink({ dir: join(dir, 'file.txt', 'audit') });
    const err = await createAuditLog({ sinks: [sink], hmacKey: KEY }).catch((e) => e);
    expect(isHushError(err, 'HUSH_E_AUDIT_UNAVAILABLE')).toBe(true);
    expect(err.message).toMatch(/could not open its file \(ENOTDIR\); check that .* is a writable directory/);
  });

  it('fails the append when the disk is full (/dev/full) and when rotation fails', async () => {
    await symlink('/dev/full', logPath());
    const log = await createAuditLog({ sinks: [createJsonlFileSink({ dir })], hmacKey: KEY });
    await expect(log.append(event(1))).rejects.toMatchObject({
      code: 'HUSH_E_AUDIT_UNAVAILABLE',
      message: expect.stringMatching(/could not be audited \(1 of 1 sinks failed\).*ENOSPC/),
    });

    const d2 = join(dir, 'rot');
    const log2 = await createAuditLog({
      sinks: [createJsonlFileSink({ dir: d2, maxBytes: 10 })],
      hmacKey: KEY,
    });
    await log2.append(event(1));
    await rename(d2, `${d2}.moved`);
    await writeFile(d2, 'now a file');
    await expect(log2.append(event(2))).rejects.toMatchObject({ code: 'HUSH_E_AUDIT_UNAVAILABLE' });
    // Once the directory is back, the log recovers and the chain has no gap (the refused record was never written).
    await rm(d2);
    await rename(`${d2}.moved`, d2);
    expect((await log2.append(event(3))).seq).toBe(2);
    await log2.close();
    expect(await verifyAuditFiles(d2)).toMatchObject({ ok: true, checked: 2 });
  });

  it('fails when a required sink fails, tolerates an optional one, and never when all succeed', async () => {
    const full = () => createWriteStream('/dev/full');
    const lines: string[] = [];
    const collect = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const okLog = await createAuditLog({
      sinks: [createJsonlFileSink({ dir }), createStdoutSink({ stream: full(), required: false })],
      hmacKey: KEY,
    });
    expect((await okLog.append(event(1))).seq).toBe(1);

    const strict = await createAuditLog({
      sinks: [createStdoutSink({ stream: collect }), createStdoutSink({ stream: full(), name: 'disk' })],
      hmacKey: KEY,
    });
    await expect(strict.append(event(1))).rejects.toMatchObject({
      message: expect.stringMatching(/audit sink disk could not write \(ENOSPC\)/),
    });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ seq: 1, requestId: 'req-1', operation: 'secret.read' });
    // The chain advanced because one sink holds record 1; the failed sink shows a gap, not a reused seq.
    expect(strict.head().seq).toBe(1);

    const allOptional = await createAuditLog({
      sinks: [createStdoutSink({ stream: full(), required: false })],
      hmacKey: KEY,
    });
    await expect(allOptional.append(event(1))).rejects.toMatchObject({ code: 'HUSH_E_AUDIT_UNAVAILABLE' });
    expect(allOptional.head().seq).toBe(0);
  });

  it('refuses to start when two sinks hold different chains at the same seq', async () => {
    await writeLog(join(dir, 'a'), 2);
    const other = await createAuditLog({
      sinks: [createJsonlFileSink({ dir: join(dir, 'b') })],
      hmacKey: KEY,
    });
    await other.append(event(7));
    await other.append(event(8));
    await other.close();
    const sinks = [
      createJsonlFileSink({ dir: join(dir, 'a') }),
      createJsonlFileSink({ dir: join(dir, 'b') }),
    ];
    await expect(createAuditLog({ sinks, hmacKey: KEY })).rejects.toMatchObject({
      code: 'HUSH_E_INTEGRITY',
      message: expect.stringMatching(/both end at seq 2 with different hashes/),
    });
  });

  it('rejects an empty sink list', async () => {
    await expect(createAuditLog({ sinks: [], hmacKey: KEY })).rejects.toMatchObject({
      code: 'HUSH_E_CONFIG',
    });
  });
});
