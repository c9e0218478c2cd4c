import { isHushError } from '../core/errors/hush-error.js';
import { changedSecrets, type VersionFingerprint } from './read-secrets.js';
import { type ChildExit, forwardSignals, type RunningChild, startChild } from './supervisor.js';

/** What the watch loop needs: how to load env + fingerprint, how to poll the fingerprint, timings and a logger. */
export interface WatchDeps {
  readonly command: string;
  readonly args: readonly string[];
  /** Fingerprint first, then values: a write in between only causes one extra restart, never a missed one. */
  load(): Promise<{ env: Record<string, string>; fingerprint: VersionFingerprint }>;
  fingerprint(): Promise<VersionFingerprint>;
  readonly intervalMs: number;
  readonly graceMs: number;
  /** A change must stay unchanged this long before a restart, so a burst of writes causes one restart. */
  readonly debounceMs: number;
  /** One line to stderr (secret paths only, never values). */
  log(line: string): void;
  /** Test hook / embedding: called after each (re)start. */
  onStart?(child: RunningChild): void;
}

const MAX_SETTLE_ROUNDS = 10;

/**
 * `hush run --watch`: run the child; every interval compare the secrets' version fingerprint; on a change stop the
 * child (SIGTERM, SIGKILL after the grace period) and start it again with fresh values. Resolves with the exit of
 * the child that ended on its own (or by a forwarded signal); poll failures are logged and the child keeps running.
 */
export async function runWatched(deps: WatchDeps): Promise<ChildExit> {
  let loaded = await deps.load();
  let child = startChild({ command: deps.command, args: deps.args, env: loaded.env, ownGroup: true });
  deps.onStart?.(child);
  let signalled = false;
  // The stop a signal began: the child (and its group) gets that one grace period, however the loop ends.
  let stopping: Promise<ChildExit> | undefined;
  const remove = forwardSignals((sig) => {
    // SIGHUP usually asks the child to reload; the others mean "stop", so no restart may follow.
    if (sig === 'SIGHUP') child.signal(sig);
    else {
      signalled = true;
      stopping = child.stop(deps.graceMs, sig);
    }
  });
  try {
    for (;;) {
      const exit = await raceExit(child, deps.intervalMs);
      if (exit) return exit;
      let changed: string[];
      let next: Awaited<ReturnType<WatchDeps['load']>>;
      let settled: VersionFingerprint | undefined;
      try {
        settled = await settle(deps, await deps.fingerprint());
        changed = changedSecrets(loaded.fingerprint, settled);
        if (changed.length === 0) continue;
        next = await deps.load();
      } catch (err) {
        deps.log(`hush: watch: cannot read the secrets (${describe(err)}); keeping the command running`);
        // Remember the state that failed (e.g. a new name collision) so it is reported once, not every interval.
        if (settled) loaded = { ...loaded, fingerprint: settled };
        continue;
      }
      if (signalled) continue;
      deps.log(`hush: ${changed.join(', ')} changed; restarting the command`);
      const stopped = await child.stop(deps.graceMs);
      if (signalled) return stopped;
      loaded = next;
      child = startChild({ command: deps.command, args: deps.args, env: loaded.env, ownGroup: true });
      deps.onStart?.(child);
    }
  } finally {
    remove();
    // Whatever the child left running (a background grandchild) stops with hush, never lives on orphaned.
    await (stopping ?? child.stop(deps.graceMs));
  }
}

async function settle(deps: WatchDeps, first: VersionFingerprint): Promise<VersionFingerprint> {
  let current = first;
  for (let round = 0; round < MAX_SETTLE_ROUNDS && deps.debounceMs > 0; round++) {
    await sleep(deps.debounceMs);
    const again = await deps.fingerprint();
    if (changedSecrets(current, again).length === 0) return again;
    current = again;
  }
  return current;
}

async function raceExit(child: RunningChild, ms: number): Promise<ChildExit | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const tick = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([child.exited, tick]);
  } finally {
    clearTimeout(timer);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Coded errors carry safe one-line messages (paths, never values); anything else shows only its code. */
function describe(err: unknown): string {
  if (isHushError(err)) return `${err.message} [${err.code}]`;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : 'error';
}
