import { chmodSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../src/scan/engine/types.js';
import { githubTokenFor } from '../src/scan/rules/index.js';
import { commit, git, newRepo, put, tempDir } from './scan-support/git-repo.js';
import { assertCompiledCli, hush } from './support/run-hush.js';

const AWS = 'AKIAZ4XQ7RZ2LMNBVC3D';
const GH = githubTokenFor('R8fQz2LpX7vKc3NwT9mYb5HsD1gJa4');

const found = (out: string) =>
  (JSON.parse(out) as { findings: Finding[] }).findings.map((f) => `${f.path}:${f.line}:${f.ruleId}`).sort();

/**
 * A repository whose own config and attributes try everything that makes git run a program or hide content: each
 * program, if run, leaves a file named after its config key in `marks`. `arm()` installs them, `disarm()` puts
 * the plain config back (the test's own git commands must not trip them).
 */
function hostileRepo() {
  const marks = tempDir('hush-marks-');
  const repo = newRepo();
  const base = commit(repo, 'base', { 'readme.md': 'hi\n' });
  const plain = readFileSync(join(repo, '.git/config'), 'utf8');
  const script = (key: string) => {
    const path = join(marks, `${key}.sh`);
    put(marks, `${key}.sh`, `#!/bin/sh\ntouch '${join(marks, `ran-${key}`)}'\ncat\n`);
    chmodSync(path, 0o755);
    return path;
  };
  const hostile = [
    '[core]',
    `\tfsmonitor = ${script('fsmonitor')}`,
    `\tpager = ${script('pager')}`,
    `\thooksPath = ${marks}`,
    '[diff]',
    `\texternal = ${script('external')}`,
    '\tnoprefix = true',
    '\tinterHunkContext = 5',
    '[diff "conv"]',
    `\ttextconv = ${script('textconv')}`,
    `\tcommand = ${script('diffcommand')}`,
    '[filter "f"]',
    `\tclean = ${script('clean')}`,
    `\tsmudge = ${script('smudge')}`,
    '[log]',
    '\tshowSignature = true',
    '\tshowRoot = false',
    '[gpg]',
    `\tprogram = ${script('gpg')}`,
    '',
  ].join('\n');
  for (const hook of ['post-commit', 'pre-commit', 'post-checkout']) script(hook);
  return {
    repo,
    marks,
    base,
    arm() {
      put(repo, '.git/config', `${plain}${hostile}`);
      put(repo, '.git/info/attributes', '*.txt diff=conv filter=f\n*.env -diff\n');
    },
    disarm() {
      put(repo, '.git/config', plain);
      put(repo, '.git/info/attributes', '');
    },
  };
}

const ran = (marks: string) => readdirSync(marks).filter((n) => n.startsWith('ran-'));
const SECRETS = ['app.env:1:aws-access-key-id', 'notes.txt:5:github-pat-classic'];

describe('scanning an untrusted repository runs none of its programs and sees through its attributes', () => {
  beforeAll(() => assertCompiledCli());

  it('--staged, --range, --pre-receive and --git', () => {
    const h = hostileRepo();
    const { repo, marks, base } = h;
    // The secret sits 4 lines after another added line: interHunkContext would fold those lines into one hunk.
    put(repo, 'app.env', `k=${AWS}\n`);
    put(repo, 'notes.txt', `a=1\nb\nc\nd\ntoken=${GH}\n`);
    git(repo, 'add', '-A');
    h.arm();
    expect(found(hush(['scan', '--staged', '--format', 'json', repo]).stdout)).toEqual(SECRETS);
    h.disarm();
    git(repo, 'commit', '-q', '-m', 'leak');
    const head = git(repo, 'rev-parse', 'HEAD');
    // A root commit no ref has yet: log.showRoot=false would print no diff for it.
    git(repo, 'checkout', '-q', '--orphan', 'orphan');
    git(repo, 'commit', '-q', '-m', 'orphan root');
    const orphan = git(repo, 'rev-parse', 'HEAD');
    git(repo, 'checkout', '-q', 'main');
    git(repo, 'branch', '-q', '-D', 'orphan');
    h.arm();
    const range = hush(['scan', '--range', `${base}..${head}`, '--format', 'json', repo]);
    expect(found(range.stdout)).toEqual(SECRETS);
    const push = hush(['scan', '--pre-receive', '--format', 'json', repo], {
      input: `${base} ${head} refs/heads/main\n${'0'.repeat(40)} ${orphan} refs/heads/orphan\n`,
    });
    expect(found(push.stdout)).toEqual([...SECRETS, ...SECRETS].sort());
    expect(found(hush(['scan', '--git', '--format', 'json', repo]).stdout)).toEqual(SECRETS);
    expect(ran(marks)).toEqual([]);
  });
});

describe('pre-receive: refs pushed straight at a blob or a tree', () => {
  beforeAll(() => assertCompiledCli());

  it('scans the blob, the tree and a tag of a blob', () => {
    const repo = newRepo();
    commit(repo, 'base', { 'readme.md': 'hi\n' });
    const outside = tempDir();
    put(outside, 'loose.env', `k=${AWS}\n`);
    const blob = git(repo, 'hash-object', '-w', join(outside, 'loose.env'));
    git(repo, 'checkout', '-q', '--orphan', 'tmp');
    git(repo, 'rm', '-q', '-r', '--cached', '.');
    put(repo, 'deep/token.txt', `${GH}\n`);
    git(repo, 'add', 'deep/token.txt');
    git(repo, 'commit', '-q', '-m', 'tmp');
    const tree = git(repo, 'rev-parse', 'HEAD^{tree}');
    git(repo, 'checkout', '-q', '-f', 'main');
    git(repo, 'branch', '-q', '-D', 'tmp');
    git(repo, 'tag', '-a', '-m', 'tag of a blob', 'tb', blob);
    const tag = git(repo, 'rev-parse', 'tb');
    git(repo, 'tag', '-d', 'tb');
    const zero = '0'.repeat(40);
    const scan = (input: string) => hush(['scan', '--pre-receive', '--format', 'json', repo], { input });
    const r = scan(`${zero} ${blob} refs/heads/b\n${zero} ${tree} refs/tags/t\n`);
    expect(r.code).toBe(1);
    expect(found(r.stdout)).toEqual([
      'refs/heads/b:1:aws-access-key-id',
      'refs/tags/t:deep/token.txt:1:github-pat-classic',
    ]);
    expect(found(scan(`${zero} ${tag} refs/tags/tb\n`).stdout)).toEqual(['refs/tags/tb:1:aws-access-key-id']);
  });
});

describe('--range is a range, never an option', () => {
  beforeAll(() => assertCompiledCli());

  it('refuses option-like and malformed values with a clear error, and git writes nothing', () => {
    const repo = newRepo();
    const base = commit(repo, 'base', { 'a.txt': 'x\n' });
    const head = commit(repo, 'leak', { 'a.txt': `x\nk=${AWS}\n` });
    for (const bad of ['--output=out..y', '-o..x', 'a b..c', '..', 'main', `${base}..--all`, 'a..b..c']) {
      const r = hush(['scan', '--range', bad, repo], { cwd: repo });
      expect(r.code, bad).toBe(2);
      expect(r.stderr, bad).toMatch(/--range needs A\.\.B .* got ".*" \[HUSH_E_USAGE\]/);
    }
    expect(readdirSync(repo).sort()).toEqual(['.git', 'a.txt']);
    for (const good of [`${base}..${head}`, `${base}...${head}`, 'HEAD~1..HEAD', 'main~1..', `${base}..`]) {
      expect(hush(['scan', '--range', good, repo]).code, good).toBe(1);
    }
  });
});
