import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../src/scan/engine/types.js';
import { githubTokenFor } from '../src/scan/rules/index.js';
import { runScan } from '../src/scan/run-scan.js';
import { fsSource } from '../src/scan/sources/fs-source.js';
import { gitHistorySource } from '../src/scan/sources/git-history-source.js';
import { gitRangeSource, parseRefUpdates, revArgsFor } from '../src/scan/sources/git-range-source.js';
import { gitStagedSource } from '../src/scan/sources/git-staged-source.js';
import type { ScanSource } from '../src/scan/sources/source.js';
import { streamSource } from '../src/scan/sources/stream-source.js';
import { commit, git, newRepo, put, tempDir } from './scan-support/git-repo.js';
import { tarOf } from './scan-support/tar-writer.js';

const AWS = 'AKIAZ4XQ7RZ2LMNBVC3D';
const AWS2 = 'AKIAQ7WERTY2ZXCVB3NM';
const GH = githubTokenFor('R8fQz2LpX7vKc3NwT9mYb5HsD1gJa4');

const scan = async (source: ScanSource) => runScan([source]);
const where = (fs: readonly Finding[]) => fs.map((f) => `${f.path}:${f.line}:${f.ruleId}`).sort();

describe('directory source', () => {
  it('honours .gitignore (nested), .hushignore and --exclude, skips binaries and .git', async () => {
    const dir = tempDir();
    put(dir, 'a.env', `k=${AWS}\n`);
    put(dir, 'build/out.txt', `k=${AWS}\n`);
    put(dir, 'sub/.gitignore', 'local.txt\n');
    put(dir, 'sub/local.txt', `k=${AWS}\n`);
    put(dir, 'sub/kept.txt', `\n\nk=${AWS}\n`);
    put(dir, 'fixtures/f.txt', `k=${AWS}\n`);
    put(dir, 'vendor/v.txt', `k=${AWS}\n`);
    put(dir, '.gitignore', 'build/\n');
    put(dir, '.hushignore', 'vendor/\n');
    put(dir, 'bin.dat', Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(`k=${AWS}`)]));
    put(dir, '.git/config', `k=${AWS}\n`);
    const r = await scan(fsSource({ roots: [dir], exclude: ['fixtures/**'] }));
    const rel = r.findings.map((f) => f.path.slice(f.path.lastIndexOf('/', f.path.lastIndexOf('/') - 1) + 1));
    expect(rel.sort()).toEqual([expect.stringMatching(/a\.env$/), 'sub/kept.txt']);
    expect(r.findings.find((f) => f.path.endsWith('kept.txt'))?.line).toBe(3);
  });

  it('streams files over the window threshold and finds secrets past the first window', async () => {
    const dir = tempDir();
    const filler = 'lorem ipsum dolor sit amet\n'.repeat(100_000);
    put(dir, 'big.log', `${filler}k=${AWS}\n${filler}`);
    const r = await scan(fsSource({ roots: [dir], streamAbove: 64 << 10 }));
    expect(r.findings.map((f) => f.line)).toEqual([100_001]);
    const skipped = await scan(fsSource({ roots: [dir], maxFileBytes: 1000 }));
    expect(skipped.findings).toEqual([]);
    expect(skipped.warnings[0]?.message).toMatch(/over the 1000-byte limit/);
  });

  it('opens tar, tar.gz, zip and nested archives with ! locations', async () => {
    const dir = tempDir();
    const inner = zipSync({ 'conf/app.env': Buffer.from(`x\nk=${AWS}\n`) });
    const tar = tarOf([
      { name: 'readme.md', data: 'hello' },
      { name: 'inner.zip', data: inner },
      { name: 'deploy/.env', data: `TOKEN=${GH}\n` },
    ]);
    put(dir, 'outer.tar', tar);
    put(dir, 'outer.tgz', gzipSync(tar));
    const r = await scan(fsSource({ roots: [dir] }));
    const locs = r.findings.map((f) => `${f.path.slice(dir.length + 1)}:${f.line}`).sort();
    expect(locs).toEqual([
      'outer.tar!deploy/.env:1',
      'outer.tar!inner.zip!conf/app.env:2',
      'outer.tgz!deploy/.env:1',
      'outer.tgz!inner.zip!conf/app.env:2',
    ]);
  });

  it('guards against archive bombs (ratio and total size) and nesting depth', async () => {
    const dir = tempDir();
    const zeros = new Uint8Array(5 << 20);
    put(dir, 'bomb.zip', zipSync({ 'z.txt': zeros, 'ok.env': Buffer.from(`k=${AWS}`) }, { level: 9 }));
    let nested: Uint8Array = zipSync({ 'deep.env': Buffer.from(`k=${AWS}`) });
    for (let i = 0; i < 6; i++) nested = zipSync({ [`l${i}.zip`]: nested });
    put(dir, 'nested.zip', nested);
    const r = await scan(fsSource({ roots: [dir] }));
    expect(r.findings.map((f) => f.path.slice(dir.length + 1))).toEqual(['bomb.zip!ok.env']);
    expect(r.warnings.map((w) => w.message).join('\n')).toMatch(/bomb guard[\s\S]*nested deeper than 4/);
  });

  it('reads docker-save and OCI image tars layer by layer', async () => {
    const dir = tempDir();
    const layer1 = tarOf([{ name: 'etc/app.env', data: `k=${AWS}\n` }]);
    const layer2 = gzipSync(tarOf([{ name: 'srv/token', data: `${GH}\n` }]));
    const d1 = 'a1b2c3d4e5f6'.padEnd(64, '0');
    const d2 = 'f0e1d2c3b4a5'.padEnd(64, '1');
    const cfg = 'c0ffee000000'.padEnd(64, '2');
    const docker = tarOf([
      {
        name: 'manifest.json',
        data: JSON.stringify([{ Config: `${cfg}.json`, Layers: [`${d1}/layer.tar`, `${d2}/layer.tar`] }]),
      },
      {
        name: `${cfg}.json`,
        data: JSON.stringify({
          config: { Env: [`TOKEN=${GH}`] },
        }),
      },
      { name: `${d1}/layer.tar`, data: layer1 },
      { name: `${d2}/layer.tar`, data: layer2 },
    ]);
    put(dir, 'image.tar', docker);
    const manifest = {
      config: { digest: `sha256:${cfg}` },
      layers: [{ digest: `sha256:${d1}` }, { digest: `sha256:${d2}` }],
    };
    const md = 'abcabcabcabc'.padEnd(64, '3');
    const oci = tarOf([
      { name: 'oci-layout', data: '{"imageLayoutVersion":"1.0.0"}' },
      { name: 'index.json', data: JSON.stringify({ manifests: [{ digest: `sha256:${md}` }] }) },
      { name: `blobs/sha256/${md}`, data: JSON.stringify(manifest) },
      { name: `blobs/sha256/${cfg}`, data: '{}' },
      { name: `blobs/sha256/${d1}`, data: layer1 },
      { name: `blobs/sha256/${d2}`, data: layer2 },
    ]);
    put(dir, 'oci.tar', oci);
    const r = await scan(fsSource({ roots: [dir] }));
    expect(r.findings.map((f) => `${f.path.slice(dir.length + 1)}:${f.ruleId}`).sort()).toEqual([
      'image.tar!a1b2c3d4e5f6!etc/app.env:aws-access-key-id',
      'image.tar!config:github-pat-classic',
      'image.tar!f0e1d2c3b4a5!srv/token:github-pat-classic',
      'oci.tar!a1b2c3d4e5f6!etc/app.env:aws-access-key-id',
      'oci.tar!f0e1d2c3b4a5!srv/token:github-pat-classic',
    ]);
  });
});

describe('git sources', () => {
  it('--git scans every unique blob of all refs once, attributed to the commit that introduced it', async () => {
    const repo = newRepo();
    const c1 = commit(repo, 'one', { 'a.txt': 'hello\n', 'conf/app.env': `x=1\nk=${AWS}\n` });
    commit(repo, 'two', { 'conf/app.env': 'x=1\n' });
    git(repo, 'checkout', '-q', '-b', 'side');
    const c3 = commit(repo, 'three', { 'side.txt': `a\nb\nTOKEN=${GH}\n` });
    git(repo, 'checkout', '-q', 'main');
    commit(repo, 'four', { 'copy.env': `x=1\nk=${AWS}\n` }); // same blob as in c1: scanned once
    const r = await scan(gitHistorySource({ cwd: repo }));
    expect(r.findings.map((f) => [f.path, f.line, f.ruleId, f.commit, f.author])).toEqual(
      expect.arrayContaining([
        ['conf/app.env', 2, 'aws-access-key-id', c1, 'Ada <ada@example.com>'],
        ['side.txt', 3, 'github-pat-classic', c3, 'Ada <ada@example.com>'],
      ]),
    );
    expect(r.findings).toHaveLength(2);
    expect(r.findings[0]?.date).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('--staged reports only lines added in the index, from the index version', async () => {
    const repo = newRepo();
    commit(repo, 'base', { 'app.env': `old=${AWS}\n` });
    put(repo, 'app.env', `old=${AWS}\nnew=${AWS2}\n`);
    git(repo, 'add', 'app.env');
    put(repo, 'app.env', 'worktree edit drops both\n'); // the index, not the work tree, is scanned
    put(repo, 'untracked.env', `k=${AWS2}\n`);
    const r = await scan(gitStagedSource({ cwd: repo }));
    expect(where(r.findings)).toEqual(['app.env:2:aws-access-key-id']);
  });

  it('--range and pre-receive updates scan only what the commits added', async () => {
    const repo = newRepo();
    const base = commit(repo, 'base', { 'a.env': `old=${AWS}\n` });
    commit(repo, 'add', { 'a.env': `old=${AWS}\nnew=${AWS2}\n`, 'b.txt': `+++ b\n++ x ${GH}\n` });
    const head = commit(repo, 'remove', { 'c.txt': 'clean\n' });
    const r = await scan(gitRangeSource({ cwd: repo, revArgs: [[`${base}..${head}`]] }));
    expect(where(r.findings)).toEqual(['a.env:2:aws-access-key-id', 'b.txt:2:github-pat-classic']);

    const zero = '0'.repeat(40);
    const updates = parseRefUpdates(`${base} ${head} refs/heads/main\n${head} ${zero} refs/heads/gone\n`);
    expect(updates.map(revArgsFor)).toEqual([[`${base}..${head}`], undefined]);
    expect(revArgsFor({ oldId: zero, newId: head, ref: 'refs/heads/new' })).toEqual([head, '--not', '--all']);
    expect(() => parseRefUpdates('nonsense')).toThrow(/line 1/);
  });
});

describe('stream source', () => {
  it('scans stdin-like streams and reports findings before the stream ends', async () => {
    const seen: number[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    async function* live() {
      yield `line 1\nk=${AWS}\n`;
      await gate; // the stream stays open until the first finding was reported
      yield `line 3\nk=${AWS2}\n`;
    }
    const r = await runScan([streamSource(Readable.from(live(), { objectMode: false }))], {
      onFinding: (f) => {
        seen.push(f.line);
        release();
      },
    });
    expect(seen).toEqual([2, 4]);
    expect(r.findings.map((f) => f.path)).toEqual(['-', '-']);
  });
});
