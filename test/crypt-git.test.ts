import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeNeeding, toolMissing } from './support/require-tool.js';
import { HUSH_BIN } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

// Real git repositories and the real CLI as git's filter, diff and merge programs.
const missing = toolMissing('age-keygen', 'age', ['--version']) ?? toolMissing('git', 'git');

let dir: string;
let recipient: string;
let env: NodeJS.ProcessEnv;
let noKeyEnv: NodeJS.ProcessEnv;

function git(cwd: string, args: string[], e: NodeJS.ProcessEnv = env): string {
  return execFileSync('git', args, { cwd, env: e, encoding: 'utf8' });
}
const hush = (cwd: string, args: string[], e: NodeJS.ProcessEnv = env) =>
  spawnSync(process.execPath, [HUSH_BIN, ...args], { cwd, env: e, encoding: 'utf8' });

describeNeeding(missing, 'hush crypt in real git repositories', () => {
  beforeAll(async () => {
    dir = await makeTempDir('crypt-git');
    execFileSync('age-keygen', ['-o', join(dir, 'key.txt')], { stdio: 'ignore' });
    recipient = /age1\w+/.exec(await readFile(join(dir, 'key.txt'), 'utf8'))?.[0] as string;
    const base: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env))
      if (!k.startsWith('HUSH_') && !k.startsWith('SOPS_') && !k.startsWith('GIT_')) base[k] = v;
    Object.assign(base, {
      HOME: dir,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@e',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@e',
    });
    env = { ...base, SOPS_AGE_KEY_FILE: join(dir, 'key.txt') };
    noKeyEnv = { ...base };
    const repo = join(dir, 'origin');
    await mkdir(join(repo, 'secrets'), { recursive: true });
    git(repo, ['init', '-q', '-b', 'main']);
    await writeFile(
      join(repo, '.sops.yaml'),
      `creation_rules:\n  - path_regex: secrets/.*\n    age: ${recipient}\n`,
    );
    expect(hush(repo, ['crypt', 'git', 'install', 'secrets/**']).status).toBe(0);
    await writeFile(
      join(repo, 'secrets/app.yaml'),
      'db:\n  password: s3cret # kept\n  user: admin\nport: 5432\n',
    );
    git(repo, ['add', '.']);
    git(repo, ['commit', '-qm', 'secrets']);
  });
  afterAll(async () => removeTempDir(dir));

  it('the repository holds ciphertext; the working tree and diffs of a key holder show plaintext', async () => {
    const repo = join(dir, 'origin');
    const blob = git(repo, ['show', 'HEAD:secrets/app.yaml']);
    expect(blob).not.toContain('s3cret');
    expect(blob).toContain('ENC[AES256_GCM');
    expect(await readFile(join(repo, 'secrets/app.yaml'), 'utf8')).toContain('password: s3cret # kept');
    await writeFile(
      join(repo, 'secrets/app.yaml'),
      'db:\n  password: s3cret # kept\n  user: root\nport: 5432\n',
    );
    const diff = git(repo, ['diff']);
    expect(diff).toContain('-  user: admin');
    expect(diff).toContain('+  user: root');
    // Without textconv: only the changed value and the MAC/lastmodified lines differ; the password keeps its ciphertext.
    const raw = git(repo, ['diff', '--no-textconv'])
      .split('\n')
      .filter((l) => /^[-+] /.test(l));
    expect(raw.some((l) => l.includes('password'))).toBe(false);
    expect(raw.filter((l) => l.includes('user: ENC'))).toHaveLength(2);
    git(repo, ['checkout', '--', 'secrets/app.yaml']);
    expect(git(repo, ['status', '--porcelain'])).toBe('');
  });

  it('a clone by a recipient gets plaintext after install; a clone without the key sees ciphertext', async () => {
    const mine = join(dir, 'mine');
    git(dir, ['clone', '-q', join(dir, 'origin'), mine]);
    expect(await readFile(join(mine, 'secrets/app.yaml'), 'utf8')).toContain('ENC[AES256_GCM');
    expect(hush(mine, ['crypt', 'git', 'install']).status).toBe(0);
    expect(await readFile(join(mine, 'secrets/app.yaml'), 'utf8')).toContain('password: s3cret');
    expect(git(mine, ['status', '--porcelain'])).toBe('');

    const theirs = join(dir, 'theirs');
    git(dir, ['clone', '-q', join(dir, 'origin'), theirs], noKeyEnv);
    expect(hush(theirs, ['crypt', 'git', 'install'], noKeyEnv).status).toBe(0);
    const text = await readFile(join(theirs, 'secrets/app.yaml'), 'utf8');
    expect(text).not.toContain('s3cret');
    expect(text).toContain('ENC[AES256_GCM');
    expect(git(theirs, ['status', '--porcelain'], noKeyEnv)).toBe('');
  });

  it('branches changing different values merge through the decrypted values', async () => {
    const repo = join(dir, 'mine');
    git(repo, ['checkout', '-q', '-b', 'feature']);
    await writeFile(
      join(repo, 'secrets/app.yaml'),
      'db:\n  password: n3w # kept\n  user: admin\nport: 5432\n',
    );
    git(repo, ['commit', '-qam', 'password']);
    git(repo, ['checkout', '-q', 'main']);
    await writeFile(
      join(repo, 'secrets/app.yaml'),
      'db:\n  password: s3cret # kept\n  user: admin\nport: 6543\n',
    );
    git(repo, ['commit', '-qam', 'port']);
    git(repo, ['merge', '-q', '--no-edit', 'feature']);
    expect(await readFile(join(repo, 'secrets/app.yaml'), 'utf8')).toBe(
      'db:\n  password: n3w # kept\n  user: admin\nport: 6543\n',
    );
    const blob = git(repo, ['show', 'HEAD:secrets/app.yaml']);
    expect(blob).not.toContain('n3w');
  });

  it('a conflicting change leaves plaintext markers that the clean filter refuses until resolved', async () => {
    const repo = join(dir, 'mine');
    git(repo, ['checkout', '-q', '-b', 'left']);
    await writeFile(
      join(repo, 'secrets/app.yaml'),
      'db:\n  password: left # kept\n  user: admin\nport: 6543\n',
    );
    git(repo, ['commit', '-qam', 'left']);
    git(repo, ['checkout', '-q', 'main']);
    await writeFile(
      join(repo, 'secrets/app.yaml'),
      'db:\n  password: right # kept\n  user: admin\nport: 6543\n',
    );
    git(repo, ['commit', '-qam', 'right']);
    const merge = spawnSync('git', ['merge', 'left'], { cwd: repo, env, encoding: 'utf8' });
    expect(merge.status).not.toBe(0);
    const text = await readFile(join(repo, 'secrets/app.yaml'), 'utf8');
    expect(text).toContain('<<<<<<< ours');
    const add = spawnSync('git', ['add', 'secrets/app.yaml'], { cwd: repo, env, encoding: 'utf8' });
    expect(add.status).not.toBe(0);
    expect(add.stderr).toMatch(/secrets\/app\.yaml has merge conflict markers at line 2/);
    await writeFile(
      join(repo, 'secrets/app.yaml'),
      'db:\n  password: right # kept\n  user: admin\nport: 6543\n',
    );
    git(repo, ['add', 'secrets/app.yaml']);
    git(repo, ['commit', '-qm', 'resolved']);
    expect(git(repo, ['show', 'HEAD:secrets/app.yaml'])).not.toContain('right');
  });

  it('the pre-commit hook refuses plaintext staged in a path marked encrypted', async () => {
    const repo = join(dir, 'origin');
    await writeFile(join(repo, 'secrets/new.env'), 'TOKEN=plain-value\n');
    // Stage around the filter, as a clone without `hush crypt git install` would.
    git(repo, [
      '-c',
      'filter.hush-crypt.clean=cat',
      '-c',
      'filter.hush-crypt.required=false',
      'add',
      'secrets/new.env',
    ]);
    const commit = spawnSync('git', ['commit', '-qm', 'leak'], { cwd: repo, env, encoding: 'utf8' });
    expect(commit.status).not.toBe(0);
    expect(commit.stderr).toContain('secrets/new.env: (whole file: no sops metadata) is plaintext');
    expect(commit.stderr).toContain('HUSH_E_INVALID_INPUT');
    git(repo, ['add', 'secrets/new.env']);
    git(repo, ['commit', '-qm', 'encrypted']);
    expect(git(repo, ['show', 'HEAD:secrets/new.env'])).toMatch(/^TOKEN=ENC\[AES256_GCM/);
  });
});
