import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preCommitHook } from '../src/cli/commands/hooks.js';
import { assertCompiledCli, hushIn, oneLineError, runHush } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

let dir: string;
let hush: ReturnType<typeof hushIn>;
let victim: string;

beforeAll(async () => {
  assertCompiledCli();
  dir = await makeTempDir('symlink-writes');
  hush = hushIn(join(dir, 'data'));
  expect((await hush(['init'])).code).toBe(0);
  expect((await hush(['put', 'app/prod/key'], { input: 'v' })).code).toBe(0);
  victim = join(dir, 'victim.txt');
  await writeFile(victim, 'precious\n', { mode: 0o644 });
}, 60_000);
afterAll(() => removeTempDir(dir));

async function victimUntouched(): Promise<void> {
  expect(await readFile(victim, 'utf8')).toBe('precious\n');
  expect((await stat(victim)).mode & 0o777).toBe(0o644);
}

describe('writes never follow a symbolic link', () => {
  it('hush export --out LINK is refused and leaves the target as it was (content and mode)', async () => {
    const link = join(dir, 'export-link');
    await symlink(victim, link);
    const res = await hush(['export', 'app/prod', '--out', link]);
    expect(res.code).toBe(2);
    expect(oneLineError(res)).toMatch(/export-link is a symbolic link; Hush does not write through links/);
    await victimUntouched();
  });

  it('hush keys import-wrapping-key --public-key-out LINK is refused', async () => {
    const link = join(dir, 'pem-link');
    await symlink(victim, link);
    const res = await hush([
      'keys',
      'import-wrapping-key',
      '--project',
      'app',
      '--env',
      'prod',
      '--public-key-out',
      link,
    ]);
    expect(res.code).toBe(2);
    expect(oneLineError(res)).toMatch(/pem-link is a symbolic link/);
    await victimUntouched();
  });

  it('hush scan --write-baseline LINK is refused', async () => {
    const scanned = join(dir, 'scanned');
    execFileSync('mkdir', ['-p', scanned]);
    await writeFile(join(scanned, 'a.txt'), 'nothing here\n');
    const link = join(dir, 'baseline-link');
    await symlink(victim, link);
    const res = await runHush(['scan', scanned, '--write-baseline', link]);
    expect(res.code).toBe(2);
    expect(oneLineError(res)).toMatch(/baseline-link is a symbolic link/);
    await victimUntouched();
  });

  it('hush render --out LINK is refused', async () => {
    const tpl = join(dir, 'tpl');
    await writeFile(tpl, 'k={{ secret "app/prod/key" }}\n');
    const link = join(dir, 'render-link');
    await symlink(victim, link);
    const res = await hush(['render', tpl, '--out', link]);
    expect(res.code).toBe(2);
    expect(oneLineError(res)).toMatch(/render-link is a symbolic link/);
    await victimUntouched();
  });
});

describe('hush hooks install', () => {
  async function repo(name: string): Promise<string> {
    const r = join(dir, name);
    execFileSync('git', ['init', '-q', r]);
    return r;
  }

  it('keeps a foreign hook that merely contains the marker text', async () => {
    const r = await repo('foreign');
    const hook = join(r, '.git', 'hooks', 'pre-commit');
    const foreign = '#!/bin/sh\n# hush-managed-hook\n./run-my-linters.sh\n';
    await writeFile(hook, foreign, { mode: 0o755 });
    const res = await runHush(['hooks', 'install', '--repo', r]);
    expect(res.code).toBe(4);
    expect(oneLineError(res)).toMatch(/exists and was not written by hush/);
    expect(await readFile(hook, 'utf8')).toBe(foreign);
  });

  it('replaces its own hook, 0755', async () => {
    const r = await repo('own');
    const hook = join(r, '.git', 'hooks', 'pre-commit');
    await writeFile(hook, preCommitHook("'/old/node' '/old/hush.js'"), { mode: 0o755 });
    const res = await runHush(['hooks', 'install', '--repo', r]);
    expect(res.code, res.stderr).toBe(0);
    expect(await readFile(hook, 'utf8')).toContain('exec hush scan --staged');
    expect(await readFile(hook, 'utf8')).not.toContain('/old/hush.js');
    expect((await stat(hook)).mode & 0o777).toBe(0o755);
  });

  it('refuses a dangling symlink in place of the hook and creates nothing at its target', async () => {
    const r = await repo('dangling');
    const hook = join(r, '.git', 'hooks', 'pre-commit');
    const target = join(dir, 'dangling-target');
    await symlink(target, hook);
    const res = await runHush(['hooks', 'install', '--repo', r, '--force']);
    expect(res.code).toBe(2);
    expect(oneLineError(res)).toMatch(/is a symbolic link/);
    expect(existsSync(target)).toBe(false);
  });
});
