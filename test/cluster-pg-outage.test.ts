import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HushCluster, startHushCluster } from './support/hush-cluster.js';
import type { HushServer } from './support/hush-server.js';
import { startTestPostgres, type TestPostgres } from './support/postgres.js';
import { assertCompiledCli } from './support/run-hush.js';
import { until } from './support/until.js';

let pg: TestPostgres;
let cluster: HushCluster;

beforeAll(async () => {
  assertCompiledCli();
  pg = await startTestPostgres();
  const { url } = await pg.freshSchema();
  cluster = await startHushCluster({ storageUrl: url, count: 2 });
}, 120_000);

afterAll(async () => {
  await cluster?.dispose();
  await pg?.dispose();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Most requests of the other five workers that may end while one request begun during the outage is in flight:
 * measured 7 to 9, also with two CPU-bound processes competing. One held for seconds (the old 5 s bound's case) or
 * until the database is back is overtaken by hundreds; a build holding one writer's 503 for 8 s gave 5429.
 */
const OVERTAKEN_AT_MOST = 40;

interface Outcome {
  readonly status: number;
  readonly code?: string;
  readonly message?: string;
}

/** One authenticated request and how it ended. */
async function attempt(
  node: HushServer,
  method: 'GET' | 'PUT',
  path: string,
  value?: string,
): Promise<Outcome> {
  let res: Response;
  try {
    res = await fetch(`${node.url}/v1/secrets/${path}`, {
      method,
      headers: { 'x-hush-token': cluster.rootToken, 'content-type': 'application/json' },
      ...(value === undefined ? {} : { body: JSON.stringify({ value }) }),
    });
  } catch (err) {
    // The connection broke: the node crashed. Recorded, and reported with the nodes' stderr below.
    return { status: -1, message: String((err as Error).cause ?? err) };
  }
  const body = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string } };
  return {
    status: res.status,
    ...(body.error ? { code: body.error.code, message: body.error.message } : {}),
  };
}

describe('PostgreSQL stops under load', () => {
  it('answers 503 HUSH_E_STORAGE (no hung requests) while it is down, and serves again once it is back', async () => {
    const [a, b] = cluster.nodes as [HushServer, HushServer];
    expect((await attempt(a, 'PUT', 'outage/prod/seed', 'seed')).status).toBe(200);
    const outcomes: Outcome[] = [];
    let stop = false;
    let down = false;
    const WORKERS = 6;
    // Per worker: requests that began and ended while the database was down.
    const endedWhileDown = new Array<number>(WORKERS).fill(0);
    // For each request begun while the database was down: how many other requests ended while it was in flight.
    // Progress relative to its peers, not time: load slows every request alike, but one held until the database
    // is back is overtaken by every failure after it and by the recovery traffic.
    let ended = 0;
    const overtaken: { path: string; method: string; by: number }[] = [];
    const load = async (id: number) => {
      for (let n = 0; !stop; n++) {
        const node = (id + n) % 2 ? a : b;
        const begunDown = down;
        const endedBefore = ended;
        const [method, path] =
          n % 2 ? (['GET', 'outage/prod/seed'] as const) : (['PUT', `outage/prod/w${id}`] as const);
        outcomes.push(await attempt(node, method, path, method === 'PUT' ? `n${n}` : undefined));
        if (begunDown) overtaken.push({ path, method, by: ended - endedBefore });
        ended += 1;
        if (begunDown && down) endedWhileDown[id] = (endedWhileDown[id] ?? 0) + 1;
      }
    };
    const workers = Array.from({ length: WORKERS }, (_, i) => load(i));
    while (outcomes.length < 50) await sleep(10);
    await pg.stop();
    down = true;
    const stoppedAt = outcomes.length;
    // Liveness: each worker (alternating reads and writes on both nodes) sees its requests end while the database is
    // still down, and failures pile up; a request that never ends stalls its worker and the deadline names it.
    await until(
      'every worker to get answers while the database is down',
      () =>
        endedWhileDown.every((n) => n >= 2) &&
        outcomes.slice(stoppedAt).filter((o) => o.status !== 200).length > 60,
    );
    const duringOutage = outcomes.slice(stoppedAt);
    down = false;
    await pg.start();
    const startedAt = outcomes.length;
    // Both nodes recover by themselves: the pool reconnects on the next request.
    const recovered = () => outcomes.slice(startedAt).filter((o) => o.status === 200).length >= 40;
    await until('recovery', recovered).catch(() => undefined); // asserted below, after the stderr check
    stop = true;
    await Promise.all(workers);

    const broken = outcomes.filter((o) => o.status === -1);
    expect(broken, `node stderr: ${a.stderr()}\n---\n${b.stderr()}`).toEqual([]);
    const failed = duringOutage.filter((o) => o.status !== 200);
    expect(failed.length).toBeGreaterThan(10);
    for (const o of failed) {
      expect(o.status, JSON.stringify(o)).toBe(503);
      expect(o.code).toBe('HUSH_E_STORAGE');
      expect(o.message).not.toContain(pg.password);
      expect(o.message).not.toContain('\n');
    }
    expect(outcomes.filter((o) => o.status >= 500 && o.status !== 503)).toEqual([]);
    // No request was held through the outage: none was overtaken by more than a few rounds of its peers'.
    expect(overtaken.filter((r) => r.by > OVERTAKEN_AT_MOST)).toEqual([]);
    expect(recovered()).toBe(true);
    for (const node of [a, b]) {
      expect(node.process.exitCode).toBeNull(); // not restarted, not crashed
      expect((await attempt(node, 'PUT', 'outage/prod/after', 'ok')).status).toBe(200);
      expect(node.stdout() + node.stderr()).not.toContain(pg.password);
    }
  }, 90_000);
});
