import { execFileSync, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/** The repository root (this worktree). */
export const ROOT = resolve(import.meta.dirname, '../..');
const BIN = resolve(ROOT, 'bin/hush.js');

/** Compile the CLI into dist/ (the child processes run the built code, as users do). */
export function buildCli(): void {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'pipe' });
}

/** Run `node bin/hush.js ...args` as a real child process. */
export function hush(args: readonly string[], opts: { cwd?: string; input?: string } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    input: opts.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
    maxBuffer: 64 << 20,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
