import { isHushError } from '../core/errors/hush-error.js';
import { changedSecrets, type InjectStore, type VersionFingerprint } from './read-secrets.js';
import { resolveAddress } from './template-render.js';

/** The versions of the secrets a template reads (metadata only); a secret that is gone is left out. */
export async function fingerprintAddresses(
  store: Pick<InjectStore, 'versions'>,
  addresses: readonly string[],
  prefix: string | undefined,
): Promise<VersionFingerprint> {
  const print = new Map<string, string>();
  for (const address of new Set(addresses.map((a) => resolveAddress(a, prefix)))) {
    try {
      const info = await store.versions(address);
      print.set(address, String(info.current));
    } catch (err) {
      if (!isHushError(err)) throw err;
      print.set(address, err.code);
    }
  }
  return print;
}

/** What {@link watchRender} needs. */
export interface RenderWatchDeps {
  /** Render and write the file (a failure writes nothing and keeps the last file). */
  render(): Promise<unknown>;
  /** Secret versions plus certificate serials (`due` once renewal is due). */
  fingerprint(): Promise<VersionFingerprint>;
  readonly intervalMs: number;
  readonly target: string;
  log(line: string): void;
}

/**
 * `hush render --watch`: every interval, compare what the template depends on; when a secret changed or a
 * certificate is due, render again (atomically, so a reader never sees half a file). Runs until SIGINT/SIGTERM.
 */
export async function watchRender(deps: RenderWatchDeps): Promise<void> {
  let last = await deps.fingerprint();
  let stop: (() => void) | undefined;
  let stopped = false;
  const onSignal = () => {
    stopped = true;
    stop?.();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    while (!stopped) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deps.intervalMs);
        stop = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (stopped) break;
      try {
        const now = await deps.fingerprint();
        const changed = changedSecrets(last, now);
        if (changed.length === 0) continue;
        await deps.render();
        last = await deps.fingerprint();
        deps.log(`hush: ${changed.join(', ')} changed; rendered ${deps.target} again`);
      } catch (err) {
        deps.log(
          `hush: watch: cannot render (${isHushError(err) ? `${err.message} [${err.code}]` : 'error'}); keeping the last file`,
        );
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
