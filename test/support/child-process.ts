import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from './compiled.js';

/** A spawned Node script with its stdout collected line by line. */
export interface NodeChild {
  readonly process: ChildProcess;
  /** Every complete stdout line so far. */
  readonly lines: string[];
  /** Resolves with the first line (already seen or future) matching `pattern`; rejects on exit or timeout. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves when the process has exited and its stdout is fully read. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything written to stderr so far (for failure messages). */
  stderr(): string;
}

/** Run `script` (a path under the repo) with node, as another user when `uid`/`gid` are given. */
export function spawnNodeScript(
  script: string,
  args: readonly string[],
  options: { uid?: number; gid?: number } = {},
): NodeChild {
  const child = spawn(process.execPath, [script, ...args], {
    cwd: REPO_ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
    ...options,
  });
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const reader = createInterface({ input: child.stdout });
  reader.on('line', (line) => {
    lines.push(line);
    for (const w of waiters.filter((x) => x.pattern.test(line))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(line);
    }
  });
  const readerClosed = new Promise<void>((res) => reader.on('close', res));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => {
    child.on('exit', (code, signal) => {
      void readerClosed.then(() => res({ code, signal }));
    });
  });
  return {
    process: child,
    lines,
    exited,
    stderr: () => err,
    waitForLine(pattern, timeoutMs = 15_000) {
      const seen = lines.find((l) => pattern.test(l));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((res, rej) => {
        const timer = setTimeout(
          () => rej(new Error(`no line matching ${pattern} within ${timeoutMs} ms`)),
          timeoutMs,
        );
        void exited.then(({ code, signal }) => {
          clearTimeout(timer);
          rej(
            new Error(`child exited (${code ?? signal}) before printing ${pattern}; stderr: ${err.trim()}`),
          );
        });
        waiters.push({
          pattern,
          resolve: (line) => {
            clearTimeout(timer);
            res(line);
          },
        });
      });
    },
  };
}

/** When tests run as root (containers), permission tests must run the child as `nobody`: root bypasses modes. */
export function unprivilegedIds(): { uid?: number; gid?: number } {
  return process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
}
