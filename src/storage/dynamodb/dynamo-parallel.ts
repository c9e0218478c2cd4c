/** Requests one batch keeps in flight at once: enough to overlap round trips, few enough not to flood a table. */
export const PARALLEL_REQUESTS = 16;

/** `items.map(fn)` with at most `limit` calls running at once; results keep the input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  fn: (item: T, index: number) => Promise<R>,
  limit = PARALLEL_REQUESTS,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  async function worker(): Promise<void> {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i]!, i);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
