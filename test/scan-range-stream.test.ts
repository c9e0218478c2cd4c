import { describe, expect, it } from 'vitest';
import { runScan } from '../src/scan/run-scan.js';
import { gitRangeSource } from '../src/scan/sources/git-range-source.js';
import { commit, git, newRepo } from './scan-support/git-repo.js';

const AWS = 'AKIAZ4XQ7RZ2LMNBVC3D';
const AWS2 = 'AKIAQ7WERTY2ZXCVB3NM';

describe('a range is read as a stream', () => {
  it('a blob over 1 MiB is scanned in pieces, only on the lines each commit added, in every commit', async () => {
    const repo = newRepo();
    const filler = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => `setting_${from + i} = value number ${from + i}\n`).join('');
    // 40,000 lines (about 1.3 MB): the old secret sits in the base, the new ones are added by later commits.
    const head = `old=${AWS}\n${filler(0, 20_000)}`;
    const tail = filler(20_000, 20_000);
    const base = commit(repo, 'base', { 'big.conf': head + tail });
    commit(repo, 'one', { 'big.conf': `${head}new=${AWS2}\n${tail}` });
    commit(repo, 'two', {
      'big.conf': `${head}new=${AWS2}\n${tail}again=${AWS}\n`,
      'small.env': `k=${AWS}\n`,
    });
    const tip = git(repo, 'rev-parse', 'HEAD');
    const r = await runScan([gitRangeSource({ cwd: repo, revArgs: [[`${base}..${tip}`]] })]);
    expect(r.findings.map((f) => `${f.path}:${f.line}:${f.commit?.slice(0, 7) ?? ''}`).sort()).toEqual(
      [
        `big.conf:20002:${git(repo, 'rev-parse', '--short=7', `${tip}~1`)}`,
        `big.conf:40003:${tip.slice(0, 7)}`,
        `small.env:1:${tip.slice(0, 7)}`,
      ].sort(),
    );
  });
});
