import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { runScan } from '../src/scan/run-scan.js';
import { DEFAULT_ARCHIVE_LIMITS } from '../src/scan/sources/archive-limits.js';
import { tarEntries } from '../src/scan/sources/archive-stream.js';
import { ByteReader } from '../src/scan/sources/byte-reader.js';
import { fsSource } from '../src/scan/sources/fs-source.js';
import { put, tempDir } from './scan-support/git-repo.js';
import { tarOf } from './scan-support/tar-writer.js';
import { describeNeeding, toolMissing } from './support/require-tool.js';

// The tar reader against archives written by the two tars users have (GNU tar, libarchive's bsdtar), not only the
// project's own writer: GNU long-name entries, ustar prefixes, PAX records (path, size, GNU.sparse.name) and GNU
// base-256 numbers.

const AWS = 'AKIAZ4XQ7RZ2LMNBVC3D';
const LONG = `${'deeply-nested-directory/'.repeat(8)}${'x'.repeat(60)}.env`; // 252 characters: GNU `L`, PAX `path`
const MID = `${'deeply-nested-directory/'.repeat(4)}${'y'.repeat(60)}.env`; // 160: a ustar prefix and name
const UNICODE = 'ünïcödé/kéy.env';
const missing = toolMissing('bsdtar', 'libarchive-tools') ?? toolMissing('tar', 'tar');

/** The tree every archiver packs: one secret under a short, a long and a non-ASCII name. */
function tree(): string {
  const dir = tempDir('hush-tar-src-');
  for (const name of ['short.env', LONG, MID, UNICODE]) put(dir, name, `# config\nk=${AWS}\n`);
  return dir;
}

const scanDir = async (dir: string) => {
  const r = await runScan([fsSource({ roots: [dir] })]);
  return {
    found: r.findings.map((f) => `${f.path.slice(dir.length + 1)}:${f.line}`).sort(),
    warnings: r.warnings.map((w) => `${w.path.slice(dir.length + 1)}: ${w.message}`),
  };
};

const bytesOf = (data: Buffer) => new ByteReader([data]);
const entriesOf = async (data: Buffer) => {
  const out: { name: string; size: number }[] = [];
  for await (const e of tarEntries(bytesOf(data))) out.push(e);
  return out;
};

/** The first `limit` bytes `command` writes to stdout (the rest of a huge archive is never produced). */
function headOf(command: string, args: string[], cwd: string, limit: number): Buffer {
  const r = spawnSync('sh', ['-c', `"$0" "$@" 2>/dev/null | head -c ${limit}`, command, ...args], {
    cwd,
    maxBuffer: limit + 1024,
  });
  return r.stdout;
}

describeNeeding(missing, 'tar archives written by GNU tar and bsdtar', () => {
  const src = tree();
  const names = ['short.env', LONG, UNICODE];
  const makers: [string, string, string[]][] = [
    ['gnu-gnu', 'tar', ['--format=gnu']],
    ['gnu-posix', 'tar', ['--format=posix']],
    ['gnu-oldgnu', 'tar', ['--format=oldgnu']],
    ['bsd-default', 'bsdtar', []],
    ['bsd-pax', 'bsdtar', ['--format=pax']],
    ['bsd-gnutar', 'bsdtar', ['--format=gnutar']],
  ];

  it.each(makers)('%s: every file under its full name, plain and gzipped', async (label, command, flags) => {
    const out = tempDir('hush-tar-out-');
    execFileSync(command, [...flags, '-cf', join(out, `${label}.tar`), ...names], { cwd: src });
    execFileSync(command, [...flags, '-czf', join(out, `${label}.tgz`), ...names], { cwd: src });
    const { found, warnings } = await scanDir(out);
    expect(warnings).toEqual([]);
    expect(found).toEqual(
      [`${label}.tar`, `${label}.tgz`].flatMap((a) => names.map((n) => `${a}!${n}:2`)).sort(),
    );
  });

  it('ustar archives keep names over 100 characters in the prefix field', async () => {
    const out = tempDir('hush-tar-out-');
    for (const [label, command] of [
      ['gnu', 'tar'],
      ['bsd', 'bsdtar'],
    ] as const)
      execFileSync(command, ['--format=ustar', '-cf', join(out, `${label}.tar`), MID], { cwd: src });
    expect(
      readFileSync(join(out, 'gnu.tar'))
        .subarray(345, 345 + 24)
        .toString(),
    ).toBe(MID.slice(0, 24));
    expect((await scanDir(out)).found).toEqual([`bsd.tar!${MID}:2`, `gnu.tar!${MID}:2`]);
  });

  it('base-256 numbers (GNU): owner ids and a negative time beside a normal size', async () => {
    const out = tempDir('hush-tar-out-');
    const flags = ['--format=gnu', '--owner=x:3000000', '--group=y:3000001', '--mtime=@-99999999999'];
    execFileSync('tar', [...flags, '-cf', join(out, 'ids.tar'), 'short.env'], { cwd: src });
    const header = readFileSync(join(out, 'ids.tar')).subarray(0, 512);
    expect(header[108]! & 0x80).toBe(0x80); // uid really is base-256
    expect((await scanDir(out)).found).toEqual(['ids.tar!short.env:2']);
  });

  it('sizes over 8 GiB: GNU base-256 and a PAX size record (bsdtar), read from the headers', async () => {
    const dir = tempDir('hush-tar-big-');
    put(dir, 'a.env', `k=${AWS}\n`);
    put(dir, 'big.bin', '');
    const size = 8 * 2 ** 30 + 1;
    truncateSync(join(dir, 'big.bin'), size); // sparse: nothing is written to disk
    // Only the first 8 KiB of each archive are produced: enough for both headers.
    const gnu = headOf('tar', ['--format=gnu', '-cf', '-', 'a.env', 'big.bin'], dir, 8192);
    const bsd = headOf(
      'bsdtar',
      ['--no-read-sparse', '--format=pax', '-cf', '-', 'a.env', 'big.bin'],
      dir,
      8192,
    );
    expect(gnu[1024 + 124]! & 0x80).toBe(0x80);
    for (const archive of [gnu, bsd]) {
      expect(await entriesOf(archive)).toEqual([
        { name: 'a.env', size: 23 + AWS.length - 20 },
        { name: 'big.bin', size },
      ]);
    }
  });

  it('a sparse file from bsdtar (PAX GNU.sparse 1.0) keeps its real name', async () => {
    const dir = tempDir('hush-tar-sparse-');
    put(dir, 'holes.env', '');
    truncateSync(join(dir, 'holes.env'), 1 << 20);
    writeFileSync(join(dir, 'holes.env'), `k=${AWS}\n`, { flag: 'r+' });
    const out = tempDir('hush-tar-out-');
    execFileSync('bsdtar', ['--format=pax', '-cf', join(out, 's.tar'), 'holes.env'], { cwd: dir });
    const names = (await entriesOf(readFileSync(join(out, 's.tar')))).map((e) => e.name);
    expect(names).toEqual(['holes.env']);
  });
});

describe('archive guards: bombs, the total budget, corrupt input', () => {
  it('a gzip bomb is cut at its ratio cap with a warning; the files beside it are still scanned', async () => {
    const dir = tempDir();
    // 64 MiB of text compresses about 1000:1: far over the 200:1 cap.
    const log = gzipSync(Buffer.alloc(64 << 20, 'a\n'), { level: 9 });
    put(dir, 'logs.zip', zipSync({ 'app.log.gz': [log, { level: 0 }] })); // stored: the zip's own guard passes
    put(dir, 'bomb.tgz', gzipSync(tarOf([{ name: 'fill.txt', data: Buffer.alloc(64 << 20, 'b\n') }])));
    put(dir, 'after.env', `k=${AWS}\n`);
    const { found, warnings } = await scanDir(dir);
    expect(found).toEqual(['after.env:1']);
    expect(warnings, warnings.join('\n')).toHaveLength(2);
    for (const w of warnings)
      expect(w).toMatch(
        /^(?:logs\.zip!app\.log\.gz|bomb\.tgz): skipped the rest: expands over \d+ bytes \(bomb guard\)$/,
      );
  });

  it('the total budget stops one archive, and the next archive gets a fresh budget', async () => {
    const dir = tempDir();
    const filler = Buffer.alloc(600 << 10, 'lorem ipsum\n');
    const tar = tarOf([
      { name: 'one.txt', data: filler },
      { name: 'two.txt', data: filler },
      { name: 'late.env', data: `k=${AWS}\n` },
    ]);
    put(dir, 'first.tgz', gzipSync(tar));
    put(dir, 'second.zip', zipSync({ 'early.env': Buffer.from(`k=${AWS}\n`) }));
    const limits = { ...DEFAULT_ARCHIVE_LIMITS, maxTotalBytes: 1 << 20 };
    const r = await runScan([fsSource({ roots: [dir], archiveLimits: limits })]);
    expect(r.findings.map((f) => f.path.slice(dir.length + 1))).toEqual(['second.zip!early.env']);
    expect(r.warnings.map((w) => w.message)).toEqual([
      `archive expands past ${1 << 20} bytes; the rest was not scanned`,
    ]);
  });

  it('corrupt gzip and zip inputs each get a clear warning and the scan goes on', async () => {
    const dir = tempDir();
    const good = gzipSync(tarOf([{ name: 'in.env', data: `k=${AWS}\n`.repeat(40) }]));
    const truncated = good.subarray(0, good.length - 12);
    const garbled = Buffer.from(good);
    garbled.fill(0xff, 10, garbled.length - 8);
    put(dir, 'cut.tgz', truncated);
    put(dir, 'garbled.tar.gz', garbled);
    const zip = Buffer.from(
      zipSync({ 'a.env': Buffer.from(`k=${AWS}\n`.repeat(50)), 'b.env': Buffer.from(`k=${AWS}\n`) }),
    );
    put(dir, 'nodir.zip', zip.subarray(0, zip.length - 30)); // the end-of-directory record is gone
    const broken = Buffer.from(zip);
    broken.fill(0xee, 30 + 'a.env'.length, 30 + 'a.env'.length + 8); // a.env's deflate stream
    put(dir, 'entry.zip', broken);
    put(dir, 'ok.env', `k=${AWS}\n`);
    const { found, warnings } = await scanDir(dir);
    // What decoded before the cut is scanned (a truncated download still holds its first files).
    expect(found.filter((f) => !f.startsWith('cut.tgz!in.env:'))).toEqual(['entry.zip!b.env:1', 'ok.env:1']);
    expect(warnings.sort()).toEqual([
      expect.stringMatching(
        /^cut\.tgz: gzip data is corrupt or truncated after \d+ bytes; the rest was not scanned$/,
      ),
      'entry.zip!a.env: skipped: broken zip entry',
      'garbled.tar.gz: skipped: is not valid gzip',
      'nodir.zip: skipped: not a readable zip archive',
    ]);
  });
});
