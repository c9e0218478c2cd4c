import { spawn } from 'node:child_process';
import { constants } from 'node:os';

/** What to run: the command, its arguments and its complete environment (values only ever live in memory). */
export interface ChildSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /**
   * Run the child as the leader of its own process group and signal the whole group, so what the child starts
   * (a shell's commands, a dev server's workers) stops with it. The group is not the terminal's foreground group,
   * so the child cannot read the terminal: `hush run --watch` uses it, plain `hush run` (interactive) does not.
   */
  readonly ownGroup?: boolean;
}

/** How a child ended; `spawnError` is set when it never started (ENOENT, EACCES). */
export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly spawnError?: string;
}

/** A started child: send it signals, wait for it, or stop it (a signal, then SIGKILL after a grace period). */
export interface RunningChild {
  readonly exited: Promise<ChildExit>;
  signal(sig: NodeJS.Signals): void;
  /**
   * Send `sig` (default SIGTERM) and give the child, and with `ownGroup` whatever is left of its group (also after the
   * leader exited on its own), ONE grace period from now to be gone; SIGKILL what is left at its end. A second call
   * while stopping sends its signal too and keeps the earlier deadline. Resolves with the leader's exit.
   */
  stop(graceMs: number, sig?: NodeJS.Signals): Promise<ChildExit>;
}

/** The signals `hush run` forwards to its child. */
export const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];

/**
 * Start the child with inherited stdio. The environment is passed through the spawn call only: nothing is written to
 * disk, put in argv or in the process title.
 */
export function startChild(spec: ChildSpec): RunningChild {
  const ownGroup = spec.ownGroup === true;
  const child = spawn(spec.command, [...spec.args], {
    stdio: 'inherit',
    env: { ...spec.env },
    detached: ownGroup,
  });
  let done = false;
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('error', (err: NodeJS.ErrnoException) => {
      // 'error' without a pid means spawning failed; after a start it is a failed kill, which 'exit' reports.
      if (child.pid === undefined) {
        done = true;
        resolve({ code: null, signal: null, spawnError: err.code ?? 'error' });
      }
    });
    child.once('exit', (code, signal) => {
      done = true;
      resolve({ code, signal });
    });
  });
  // The group outlives its leader when a grandchild is still running, so group signals do not check `done`.
  const group = ownGroup && child.pid !== undefined ? child.pid : undefined;
  const send = (sig: NodeJS.Signals) => {
    if (group !== undefined) signalGroup(group, sig);
    else if (!done) child.kill(sig);
  };
  const gone = () => done && (group === undefined || !signalGroup(group, 0));
  // One deadline for the leader and its group together: waiting for the leader, then granting the rest of the group
  // a fresh grace period, would let a stop take two.
  let deadline = Number.POSITIVE_INFINITY;
  let stopping: Promise<ChildExit> | undefined;
  const finish = async () => {
    for (let left = deadline - Date.now(); !gone() && left > 0; left = deadline - Date.now()) {
      const tick = sleep(Math.min(POLL_MS, left));
      await (done ? tick : Promise.race([exited, tick]));
    }
    if (!gone()) send('SIGKILL');
    return exited;
  };
  return {
    exited,
    signal: send,
    stop(graceMs, sig = 'SIGTERM') {
      send(sig);
      deadline = Math.min(deadline, Date.now() + graceMs);
      stopping ??= finish();
      return stopping;
    },
  };
}

/** How often a stop checks whether the rest of the group is gone (it never outwaits its deadline). */
const POLL_MS = 50;

/** Signal every process of group `pgid`; false when the group is gone (ESRCH). */
function signalGroup(pgid: number, sig: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, sig);
    return true;
  } catch {
    return false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The shell convention: the child's code, 128 + signal number when killed, 127 not found, 126 not executable. */
export function exitCodeOf(exit: ChildExit): number {
  if (exit.spawnError !== undefined) return exit.spawnError === 'ENOENT' ? 127 : 126;
  if (exit.code !== null) return exit.code;
  const num = exit.signal ? constants.signals[exit.signal] : undefined;
  return 128 + (num ?? 1);
}

/** Why a child never started, as one line (the command name only, never its environment). */
export function spawnErrorMessage(command: string, exit: ChildExit): string {
  return exit.spawnError === 'ENOENT'
    ? `hush: command not found: ${command} (check the name and PATH) [exit 127]`
    : `hush: cannot run ${command} (${exit.spawnError}); check it is an executable file [exit 126]`;
}

/**
 * Hand the usual termination signals to `deliver` (e.g. forward them to the child) instead of dying. Returns the
 * function that removes the handlers.
 */
export function forwardSignals(deliver: (sig: NodeJS.Signals) => void): () => void {
  const handlers = FORWARDED_SIGNALS.map((sig) => {
    const handler = () => deliver(sig);
    process.on(sig, handler);
    return [sig, handler] as const;
  });
  return () => {
    for (const [sig, handler] of handlers) process.off(sig, handler);
  };
}

/** Run the child once, forwarding signals, and resolve with its exit (see {@link exitCodeOf}). */
export async function runOnce(spec: ChildSpec): Promise<ChildExit> {
  const child = startChild(spec);
  const remove = forwardSignals((sig) => child.signal(sig));
  try {
    return await child.exited;
  } finally {
    remove();
  }
}
