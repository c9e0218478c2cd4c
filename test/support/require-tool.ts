import { execFileSync } from 'node:child_process';
import { describe, it } from 'vitest';

/**
 * Whether this run is CI: `CI` set to anything but empty, `0` or `false` (`.ci/run` sets `true`; other runners set
 * `1`), so a CI that spells it differently still fails on a missing tool instead of skipping.
 */
export function underCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env['CI']?.trim().toLowerCase();
  return ci !== undefined && ci !== '' && ci !== '0' && ci !== 'false';
}

/** Why `command` cannot be run here (with the apt package that installs it), or undefined when it can. */
export function toolMissing(
  command: string,
  aptPackage: string,
  versionArgs = ['--version'],
): string | undefined {
  try {
    execFileSync(command, versionArgs, { stdio: 'ignore' });
    return undefined;
  } catch {
    return `${command} is not installed: apt-get install -y ${aptPackage}`;
  }
}

/**
 * `describe` when `missing` is undefined. Otherwise the suite is skipped with the reason printed, except under CI
 * ({@link underCi}): .ci/run installs every tool the suites need, so a missing one there means the suite silently stopped
 * testing, and that fails with the reason.
 */
export function describeNeeding(missing: string | undefined, name: string, body: () => void): void {
  if (!missing) {
    describe(name, body);
    return;
  }
  if (underCi()) {
    describe(name, () => {
      it('has what it needs (CI must install it)', () => {
        throw new Error(missing);
      });
    });
    return;
  }
  console.warn(`${missing}; skipping "${name}"`);
  describe.skip(name, body);
}

/** {@link describeNeeding} for a command on PATH, e.g. `describeWithTool('openssl', 'openssl', ['version'], ...)`. */
export function describeWithTool(
  command: string,
  aptPackage: string,
  versionArgs: string[],
  name: string,
  body: () => void,
): void {
  describeNeeding(toolMissing(command, aptPackage, versionArgs), name, body);
}

/** One test that needs what `missing` names: run, skipped with the reason, or failed under CI as above. */
export function itNeeding(
  missing: string | undefined,
  name: string,
  fn: () => Promise<void> | void,
  timeoutMs?: number,
): void {
  if (!missing) it(name, fn, timeoutMs);
  else if (underCi())
    it(name, () => {
      throw new Error(`${missing} (CI must install it)`);
    });
  else {
    console.warn(`${missing}; skipping "${name}"`);
    it.skip(name, fn);
  }
}
