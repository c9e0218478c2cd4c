import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../src/scan/engine/types.js';
import { githubTokenFor } from '../src/scan/rules/index.js';
import { runScan } from '../src/scan/run-scan.js';
import { gitHistorySource } from '../src/scan/sources/git-history-source.js';
import { gitRangeSource } from '../src/scan/sources/git-range-source.js';
import { commit, git, newRepo, put } from './scan-support/git-repo.js';
import { assertCompiledCli, hush } from './support/run-hush.js';

const AWS = 'AKIAZ4XQ7RZ2LMNBVC3D';
const AWS2 = 'AKIAQ7WERTY2ZXCVB3NM';
const GH = githubTokenFor('R8fQz2LpX7vKc3NwT9mYb5HsD1gJa4');

const where = (fs: readonly Finding[]) => fs.map((f) => `${f.path}:${f.line}:${f.ruleId}`).sort();

/**
 * A history whose merge adds secrets of its own: a conflict resolved with a line neither side had, and a new file
 * that only the merge commit holds. The side branch adds one secret in an ordinary commit.
 */
function evilMerge() {
  const repo = newRepo();
  const base = commit(repo, 'base', { 'conf.txt': 'mode=a\n', 'readme.md': 'hi\n' });
  git(repo, 'checkout', '-q', '-b', 'side');
  const side = commit(repo, 'side', { 'conf.txt': 'mode=b\n', 'side.env': `k=${AWS2}\n` });
  git(repo, 'checkout', '-q', 'main');
  commit(repo, 'main', { 'conf.txt': 'mode=c\n' });
  try {
    git(repo, 'merge', '-q', '--no-commit', 'side');
  } catch {
    // The conflict on conf.txt is the point: it is resolved below.
  }
  put(repo, 'conf.txt', `mode=c\ntoken=${GH}\n`);
  put(repo, 'merge-only.env', `k=${AWS}\n`);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '--no-edit', '-m', 'merge side');
  const merge = git(repo, 'rev-parse', 'HEAD');
  return { repo, base, side, merge };
}

describe('merge commits are scanned', () => {
  beforeAll(() => assertCompiledCli());

  it('--range reports what the merge itself added, once, attributed to the merge', async () => {
    const { repo, base, side, merge } = evilMerge();
    const r = await runScan([gitRangeSource({ cwd: repo, revArgs: [[`${base}..${merge}`]] })]);
    expect(where(r.findings)).toEqual([
      'conf.txt:2:github-pat-classic',
      'merge-only.env:1:aws-access-key-id',
      'side.env:1:aws-access-key-id',
    ]);
    const by = new Map(r.findings.map((f) => [f.path, f.commit]));
    expect(by.get('conf.txt')).toBe(merge);
    expect(by.get('merge-only.env')).toBe(merge);
    expect(by.get('side.env')).toBe(side);
  });

  it('--pre-receive and --range through the CLI fail a push whose merge adds a secret', () => {
    const { repo, merge } = evilMerge();
    const mainBefore = git(repo, 'rev-parse', `${merge}^1`);
    const input = `${mainBefore} ${merge} refs/heads/main\n`;
    const pr = hush(['scan', '--pre-receive', '--format', 'json', repo], { input });
    expect(pr.code).toBe(1);
    const found = (JSON.parse(pr.stdout) as { findings: Finding[] }).findings;
    expect(where(found)).toEqual([
      'conf.txt:2:github-pat-classic',
      'merge-only.env:1:aws-access-key-id',
      'side.env:1:aws-access-key-id',
    ]);
    // A new branch whose only new commit is the merge (both parents are on the server already).
    git(repo, 'update-ref', 'refs/heads/main', mainBefore);
    const onlyMerge = `${'0'.repeat(40)} ${merge} refs/heads/feature\n`;
    const r = hush(['scan', '--pre-receive', '--format', 'json', repo], { input: onlyMerge });
    expect(r.code).toBe(1);
    expect(where((JSON.parse(r.stdout) as { findings: Finding[] }).findings)).toEqual([
      'conf.txt:2:github-pat-classic',
      'merge-only.env:1:aws-access-key-id',
    ]);
    expect(hush(['scan', '--range', `${mainBefore}..${merge}`, repo]).code).toBe(1);
  });

  it('--git attributes a blob that only a merge introduced to that merge', async () => {
    const { repo, merge } = evilMerge();
    const r = await runScan([gitHistorySource({ cwd: repo })]);
    const onlyMerge = r.findings.find((f) => f.path === 'merge-only.env');
    expect(onlyMerge?.commit).toBe(merge);
    expect(r.findings.find((f) => f.path === 'conf.txt')?.commit).toBe(merge);
  });
});
