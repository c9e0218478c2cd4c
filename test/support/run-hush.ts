import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './compiled.js';

/** What a `hush` child process did. */
export interface HushRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link runHush}. */
export interface RunHushOptions {
  /** Written to the child's stdin, then stdin is closed (stdin is always a pipe, never a TTY). */
  readonly input?: string | Buffer;
  /** Extra environment (merged over a copy of this process's environment without HUSH_* variables). */
  readonly env?: Readonly<Record<string, string>>;
  /** Run as another user (e.g. `nobody`, when the tests run as root). */
  readonly uid?: number;
  readonly gid?: number;
  readonly timeoutMs?: number;
  /** Working directory of the child (default: the repository root). */
  readonly cwd?: string;
}

/** The launcher the tests run: `node bin/hush.js`, exactly as `npx hush` does. */
export const HUSH_BIN = join(REPO_ROOT, 'bin/hush.js');

/** Run `node bin/hush.js ...args` as a real child process and collect its output. */
export function runHush(args: readonly string[], options: RunHushOptions = {}): Promise<HushRun> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('HUSH_')) env[k] = v;
  Object.assign(env, options.env);
  const child = spawn(process.execPath, [HUSH_BIN, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
    ...(options.uid !== undefined ? { uid: options.uid } : {}),
    ...(options.gid !== undefined ? { gid: options.gid } : {}),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    stdout += c;
  });
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    stderr += c;
  });
  // A child that exits before reading all of stdin (e.g. refusing an oversize value) is not a test failure.
  child.stdin.on('error', () => undefined);
  child.stdin.end(options.input ?? '');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`hush ${args.join(' ')} did not finish in time; stderr: ${stderr}`));
    }, options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/**
 * Run `node bin/hush.js ...args` synchronously, with git's global and system config shut out (the scanner's tests
 * drive real git repos and hooks and must not see the machine's git settings).
 */
export function hush(args: readonly string[], opts: { cwd?: string; input?: string } = {}) {
  const r = spawnSync(process.execPath, [HUSH_BIN, ...args], {
    cwd: opts.cwd ?? REPO_ROOT,
    input: opts.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
    maxBuffer: 64 << 20,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `runHush` with `--data-dir dir` appended (local options are accepted after the command). */
export function hushIn(dir: string) {
  return (args: readonly string[], options: RunHushOptions = {}) =>
    runHush([...args, '--data-dir', dir], options);
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
      newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/** Fail with the fix when dist/ is missing or older than src/ (CLI tests run the compiled CLI). */
export function assertCompiledCli(): void {
  const main = join(REPO_ROOT, 'dist/cli/main.js');
  let built: number;
  try {
    built = statSync(main).mtimeMs;
  } catch {
    throw new Error(`${main} is missing; run \`npm run build\` first (npm test does it)`);
  }
  if (newestSource(join(REPO_ROOT, 'src')) > built) {
    throw new Error(`${main} is older than src/; run \`npm run build\``);
  }
}

/** The error lines of a failed run: exactly one `hush: ... [CODE]` line, no stack trace. */
export function oneLineError(run: HushRun): string {
  const lines = run.stderr.split('\n').filter((l) => l.length > 0 && !l.startsWith('hush: warning:'));
  if (lines.length !== 1 || /^\s+at /m.test(run.stderr)) {
    throw new Error(`expected one error line on stderr, got:\n${run.stderr}`);
  }
  return lines[0]!;
}
