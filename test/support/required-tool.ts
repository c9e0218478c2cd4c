import { describe, it } from 'vitest';

/**
 * `describe` when a system tool the suite drives is installed (`missing` is undefined); otherwise skip with the reason
 * and the install line printed, except under CI (CI=true), where a missing tool is a failure: .ci/run installs it,
 * so its absence means the suite silently stopped testing.
 */
export function describeWhenInstalled(
  name: string,
  missing: string | undefined,
  install: string,
  body: () => void,
): void {
  if (!missing) {
    describe(name, body);
    return;
  }
  if (process.env['CI'] === 'true') {
    describe(name, () => {
      it(`${missing}: CI must install it`, () => {
        throw new Error(`${missing}: ${install}`);
      });
    });
    return;
  }
  console.warn(`${missing}: ${install}; skipping "${name}"`);
  describe.skip(name, body);
}
