import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commit, git, newRepo, tempDir } from './scan-support/git-repo.js';
import { hush } from './support/run-hush.js';

const AWS = 'AKIAZ4XQ7RZ2LMNBVC3D'; // hush:allow aws-access-key-id
const FOREIGN = '#!/bin/sh\necho mine\n';

describe('hush hooks uninstall', () => {
  it("removes only hush's own hook and restores the one --force replaced", () => {
    const repo = newRepo();
    const hook = join(repo, '.git/hooks/pre-commit');
    writeFileSync(hook, FOREIGN, { mode: 0o755 });
    const inst = hush(['hooks', 'install', '--repo', repo, '--force']);
    expect(inst.code, inst.stderr).toBe(0);
    expect(inst.stdout).toContain('previous hook is kept');
    expect(readFileSync(hook, 'utf8')).toContain('hush scan --staged');
    const un = hush(['hooks', 'uninstall', '--repo', repo]);
    expect(un.code, un.stderr).toBe(0);
    expect(readFileSync(hook, 'utf8')).toBe(FOREIGN);
    // Now the hook is foreign: uninstall leaves it alone and says so.
    const again = hush(['hooks', 'uninstall', '--repo', repo]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/was not written by hush; left alone/);
    expect(readFileSync(hook, 'utf8')).toBe(FOREIGN);
  });

  it('without a backup, removes the hook; with no hook, says there is nothing to remove', () => {
    const repo = newRepo();
    expect(hush(['hooks', 'install', '--repo', repo]).code).toBe(0);
    expect(hush(['hooks', 'uninstall', '--repo', repo]).code).toBe(0);
    expect(existsSync(join(repo, '.git/hooks/pre-commit'))).toBe(false);
    const none = hush(['hooks', 'uninstall', '--repo', repo]);
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('nothing to remove');
  });
});

describe('a commit blocked by the hook', () => {
  it('says what to do next: remove and rotate, hush:allow, baseline, bypass', () => {
    const repo = newRepo();
    commit(repo, 'base', { 'README.md': 'hi\n' });
    expect(hush(['hooks', 'install', '--repo', repo]).code).toBe(0);
    writeFileSync(join(repo, 'app.env'), `k=${AWS}\n`);
    git(repo, 'add', 'app.env');
    const env = {
      ...process.env,
      GIT_AUTHOR_NAME: 'A',
      GIT_AUTHOR_EMAIL: 'a@x',
      GIT_COMMITTER_NAME: 'A',
      GIT_COMMITTER_EMAIL: 'a@x',
    };
    const blocked = spawnSync('git', ['commit', '-q', '-m', 'leak'], { cwd: repo, env, encoding: 'utf8' });
    expect(blocked.status).not.toBe(0);
    expect(blocked.stderr).toContain('hush: commit blocked. Next:');
    expect(blocked.stderr).toContain('`hush rotate PATH`');
    expect(blocked.stderr).toContain('`hush:allow`');
    expect(blocked.stderr).toContain('hush scan --write-baseline');
  });
});

describe('hush hooks install --pre-receive', () => {
  it('makes a bare repository reject a push that adds a secret, and uninstall removes it', () => {
    const bare = tempDir('hush-bare-');
    git(bare, 'init', '-q', '--bare', '-b', 'main');
    const inst = hush(['hooks', 'install', '--pre-receive', '--repo', bare]);
    expect(inst.code, inst.stderr).toBe(0);
    const clone = newRepo();
    commit(clone, 'base', { 'README.md': 'hi\n' });
    git(clone, 'push', '-q', bare, 'main');
    commit(clone, 'leak', { 'app.env': `k=${AWS}\n` });
    expect(() => git(clone, 'push', '-q', bare, 'main')).toThrow(/app\.env/);
    expect(hush(['hooks', 'uninstall', '--pre-receive', '--repo', bare]).code).toBe(0);
    expect(existsSync(join(bare, 'hooks/pre-receive'))).toBe(false);
    git(clone, 'push', '-q', bare, 'main');
  });
});
