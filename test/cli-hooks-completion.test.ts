import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli/main.js';
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

describe('hush completion', () => {
  /** Every command path of the real program, e.g. `operator snapshot save`. */
  const paths: string[] = [];
  const walk = (cmd: ReturnType<typeof buildProgram>, prefix: string[]) => {
    for (const sub of cmd.commands) {
      paths.push([...prefix, sub.name()].join(' '));
      walk(sub, [...prefix, sub.name()]);
    }
  };
  walk(buildProgram(), []);

  /** What bash completes for `words` (the last word is the one being completed). */
  let script: string | undefined;
  function bashComplete(words: readonly string[]): string[] {
    script ??= hush(['completion', 'bash']).stdout;
    const quoted = words.map((w) => `'${w}'`).join(' ');
    const r = spawnSync(
      'bash',
      [
        '-c',
        `${script}\nCOMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _hush; printf '%s\\n' "\${COMPREPLY[@]}"`,
      ],
      { encoding: 'utf8' },
    );
    return r.stdout.split('\n').filter(Boolean);
  }

  it('bash completes every command of the program, at every depth, and its options', () => {
    for (const path of paths) {
      const words = ['hush', ...path.split(' ')];
      expect(bashComplete(words), path).toContain(words.at(-1));
    }
    expect(bashComplete(['hush', 'operator', 'snapshot', 'save', '--f'])).toEqual(
      expect.arrayContaining(['--file', '--from', '--force']),
    );
    expect(bashComplete(['hush', 'hooks', ''])).toEqual(['install', 'uninstall', '--help']);
  });

  it('zsh and fish scripts cover the same tree; an unknown shell is a usage error', () => {
    const zsh = hush(['completion', 'zsh']).stdout;
    expect(zsh.startsWith('#compdef hush\n')).toBe(true);
    expect(zsh).toContain('complete -o default -F _hush hush');
    const fish = hush(['completion', 'fish']).stdout;
    for (const path of paths) {
      const parts = path.split(' ');
      const parent = parts.length === 1 ? '' : `/${parts.slice(0, -1).join('/')}`;
      expect(fish, path).toContain(
        `complete -c hush -n 'test (__hush_path) = "${parent}"' -a ${parts.at(-1)} `,
      );
    }
    const bad = hush(['completion', 'tcsh']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown shell tcsh; use one of bash, zsh, fish');
  });
});
