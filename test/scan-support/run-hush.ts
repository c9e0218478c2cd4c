import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { assertCompiledCli } from '../support/run-hush.js';

/** The repository root (this worktree). */
export const ROOT = resolve(import.meta.dirname, '../..');
const BIN = resolve(ROOT, 'bin/hush.js');

/**
 * The child processes run the built code, as users do: fail with the fix when dist/ is missing or older than src/.
 * It does not compile: `npm test` builds once before vitest, and a full tsc in every scan suite's beforeAll cost
 * about a minute per file on the 2-core CI machine.
 */
export function buildCli(): void {
  assertCompiledCli();
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
