/**
 * Poll until `ok` holds, or fail naming `what` once `withinMs` has passed. A liveness bound, not a speed target:
 * the deadline only turns "never happens" into a clear failure before the test's own timeout, so set it generously
 * (the default is well under vitest's 60 s test timeout). Use this instead of a fixed sleep wherever the test can
 * name the condition it is waiting for.
 */
export async function until(
  what: string,
  ok: () => boolean | Promise<boolean>,
  withinMs = 30_000,
  everyMs = 20,
): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`${what} not within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
