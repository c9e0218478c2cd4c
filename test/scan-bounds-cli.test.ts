import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { commit, git, newRepo, put, tempDir } from './scan-support/git-repo.js';
import { tarOf } from './scan-support/tar-writer.js';
import { REPO_ROOT as ROOT } from './support/compiled.js';
import { assertCompiledCli } from './support/run-hush.js';

const AWS = 'AKIAZ4XQ7RZ2LMNBVC3D';
const BIN = resolve(ROOT, 'bin/hush.js');

/** Run the CLI; the timeout is only a liveness bound (a hang fails the test instead of stalling the suite). */
function run(args: string[], opts: { cwd?: string; input?: string } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    input: opts.input ?? '',
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
    maxBuffer: 64 << 20,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => assertCompiledCli());

describe('hush scan: special files and hostile names', () => {
  it('skips a FIFO (named or in a tree) with a note and scans the rest', () => {
    const dir = tempDir();
    put(dir, 'app.env', `k=${AWS}\n`);
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    const tree = run(['scan', dir]);
    expect(tree.code).toBe(1);
    expect(tree.stdout).toContain('app.env:1:3');
    expect(tree.stderr).toMatch(/pipe: skipped: a FIFO, not a regular file/);
    const named = run(['scan', join(dir, 'pipe'), join(dir, 'app.env')]);
    expect(named.code).toBe(1);
    expect(named.stderr).toMatch(/pipe: skipped: a FIFO/);
  });

  it('skips a symlink to /dev/zero, named or in a tree, with a note', () => {
    const dir = tempDir();
    put(dir, 'app.env', `k=${AWS}\n`);
    symlinkSync('/dev/zero', join(dir, 'zero'));
    const named = run(['scan', join(dir, 'zero')]);
    expect(named.code).toBe(0);
    expect(named.stderr).toMatch(/zero: skipped: a character device, not a regular file/);
    const tree = run(['scan', dir]);
    expect(tree.code).toBe(1);
    expect(tree.stderr).toMatch(/zero: skipped: a symlink to a character device/);
  });

  it('walks a tree 1,900 directories deep without crashing and finds the secret at the bottom', () => {
    const dir = tempDir();
    const deep = join(dir, ...Array.from({ length: 1900 }, () => 'd'));
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(deep, 'k.env'), `k=${AWS}\n`);
    put(dir, 'top.env', `k=${AWS}\n`);
    const r = run(['--json', 'scan', dir]);
    expect(r.code).toBe(1);
    const paths = (JSON.parse(r.stdout) as { findings: { path: string }[] }).findings.map((f) => f.path);
    expect(paths.some((p) => p.endsWith('/d/k.env'))).toBe(true);
    expect(paths.some((p) => p.endsWith('top.env'))).toBe(true);
  });

  it('scans a file whose name is not UTF-8 and shows the name escaped', () => {
    const dir = tempDir();
    writeFileSync(
      Buffer.concat([Buffer.from(`${dir}/b`), Buffer.from([0xff]), Buffer.from('.env')]),
      `k=${AWS}\n`,
    );
    put(dir, 'z.env', `k=${AWS}\n`);
    const r = run(['scan', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('b\\xff.env:1:3');
    expect(r.stdout).toContain('z.env:1:3');
  });

  it('escapes terminal control sequences in file names, tar entry names and git author names', () => {
    const dir = tempDir();
    put(dir, 'e\x1b[2Jx.env', `k=${AWS}\n`);
    put(dir, 'a.tar', tarOf([{ name: 'in\x1b]0;pwned\x07.env', data: `k=${AWS}\n` }]));
    const r = run(['scan', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain('\x1b');
    expect(r.stdout).not.toContain('\x07');
    expect(r.stdout).toContain('e\\x1b[2Jx.env:1:3');
    expect(r.stdout).toContain('a.tar!in\\x1b]0;pwned\\x07.env:1:3');
    const repo = newRepo();
    commit(repo, 'leak', { 'a.env': `k=${AWS}\n` });
    git(repo, 'commit', '-q', '--amend', '--no-edit', '--author', 'Eve\x1b[8m <eve@example.com>');
    const h = run(['scan', '--git', repo]);
    expect(h.code).toBe(1);
    expect(h.stdout).not.toContain('\x1b');
    expect(h.stdout).toContain('Eve\\x1b[8m');
    // The same author through --range, and a hostile name in a warning (stderr) rather than a finding.
    commit(repo, 'more', { 'b.env': `k=${AWS}\n` });
    git(repo, 'commit', '-q', '--amend', '--no-edit', '--author', 'Mal\x1b]0;t\x07 <m@example.com>');
    const range = run(['scan', '--range', 'HEAD~1..HEAD', repo]);
    expect(range.code).toBe(1);
    expect(range.stdout).not.toContain('\x1b');
    // (git itself drops the BEL from an author name; the ESC stays.)
    expect(range.stdout).toContain('Mal\\x1b]0;t <m@example.com>');
    execFileSync('mkfifo', [join(dir, 'p\x1b[2J.fifo')]);
    const warned = run(['scan', dir]);
    expect(warned.stderr).not.toContain('\x1b');
    expect(warned.stderr).toMatch(/warning: .*p\\x1b\[2J\.fifo: skipped: a FIFO/);
  });
});

describe('hush scan: archives and images stream', () => {
  it('scans a layer blob too large to hold, in an OCI folder, and files past the first window of a tgz entry', () => {
    const dir = tempDir();
    const filler = Array.from(
      { length: 200_000 },
      (_, i) => `# filler line ${i * 7919} of a big file\n`,
    ).join('');
    const big = tarOf([{ name: 'srv/big.conf', data: `${filler}k=${AWS}\n` }]);
    const layer = gzipSync(big);
    const d1 = 'a1b2c3d4e5f6'.padEnd(64, '0');
    const md = 'abcabcabcabc'.padEnd(64, '3');
    const cfg = 'c0ffee000000'.padEnd(64, '2');
    const oci = join(dir, 'img');
    put(oci, 'oci-layout', '{"imageLayoutVersion":"1.0.0"}');
    put(oci, 'index.json', JSON.stringify({ manifests: [{ digest: `sha256:${md}` }] }));
    put(
      oci,
      `blobs/sha256/${md}`,
      JSON.stringify({ config: { digest: `sha256:${cfg}` }, layers: [{ digest: `sha256:${d1}` }] }),
    );
    put(oci, `blobs/sha256/${cfg}`, '{}');
    put(oci, `blobs/sha256/${d1}`, layer);
    put(dir, 'plain.tgz', gzipSync(big));
    const r = run(['--json', 'scan', dir]);
    expect(r.code).toBe(1);
    const locs = (JSON.parse(r.stdout) as { findings: { path: string; line: number }[] }).findings
      .map((f) => `${f.path.slice(f.path.indexOf(dir) + dir.length + 1)}:${f.line}`)
      .sort();
    expect(locs).toEqual(['img!a1b2c3d4e5f6!srv/big.conf:200001', 'plain.tgz!srv/big.conf:200001']);
  });
});

describe('hush redact and the time budget', () => {
  it('redact masks a password in a 10,000-character line', () => {
    const line = `${'x'.repeat(9_950)} password="Xk9pQ2vLmN8rT4wZ" tail\n`;
    const r = run(['redact'], { input: line });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('Xk9pQ2vLmN8rT4wZ');
    expect(r.stdout).toContain('[REDACTED:');
  });

  it('a spent time budget exits 2 by default and says what was left unscanned', () => {
    const dir = tempDir();
    put(dir, 'one.env', `${'x=1\n'.repeat(50_000)}k=${AWS}\n`);
    const r = run(['scan', '--time-budget', '0.000001', join(dir, 'one.env')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/time budget of 0.000001 s ran out .*the rest was not scanned/);
  });
});
