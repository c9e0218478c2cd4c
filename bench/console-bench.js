// Console listing benchmark: the time to fetch every name of a 10,000-secret project the way the console's grid and
// global search do (GET /v1/list/<project>?recursive=true, following the cursor), from a real `hush server` child
// process. Baseline: pages of 1,000 (the old largest page, ten sequential round trips, since each cursor is only
// known once its page arrives); candidate: pages of 10,000 (the scan budget, one request). Both run interleaved in
// this process against the same server, as a caller holding a policy (so every name is filtered), and the median of
// BENCH_ROUNDS (5) is compared. Run with `npx tsc -p tsconfig.build.json && node bench/console-bench.js`.
// BENCH_SECRETS (10000) sets the project size.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, freePort, rootTokenOf, spawnNode, stop } from './bench-http.js';

const SECRETS = Number(process.env.BENCH_SECRETS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

/** Every name below big/ in pages of `limit`; resolves with the elapsed ms (and counts the requests made). */
const requests = new Map();
async function listAll(base, token, limit) {
  const t = performance.now();
  let cursor;
  let n = 0;
  let made = 0;
  do {
    const q = `recursive=true&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = await call(base, token, 'GET', `/v1/list/big?${q}`);
    made += 1;
    n += page.entries.length;
    cursor = page.cursor;
  } while (cursor);
  if (n !== SECRETS) throw new Error(`listed ${n} names, expected ${SECRETS}`);
  requests.set(limit, made);
  return performance.now() - t;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const dataDir = mkdtempSync(join(tmpdir(), 'hush-console-bench-'));
const port = await freePort();
const server = await spawnNode(
  ['bin/hush.js', 'server', '--data-dir', dataDir, '--listen', `127.0.0.1:${port}`, '--log-level', 'warn'],
  /Hush server listening on/,
);
try {
  const base = `http://127.0.0.1:${port}`;
  const root = rootTokenOf(dataDir);
  const text = Array.from({ length: SECRETS }, (_, i) => `KEY_${String(i).padStart(5, '0')}=v${i}`).join(
    '\n',
  );
  await call(base, root, 'POST', '/v1/import/big/prod', { format: 'dotenv', text });
  await call(base, root, 'PUT', '/v1/sys/policies/big-read', {
    name: 'big-read',
    rules: [{ path: 'big/**', capabilities: ['read', 'list'] }],
  });
  const { token } = await call(base, root, 'POST', '/v1/auth/token/create', { policies: ['big-read'] });
  const paged = [];
  const whole = [];
  for (let round = 0; round < ROUNDS; round++) {
    paged.push(await listAll(base, token, 1000));
    whole.push(await listAll(base, token, 10_000));
  }
  const before = median(paged);
  const after = median(whole);
  console.log(
    `console listing of ${SECRETS} secrets (median of ${ROUNDS}): pages of 1,000 ${before.toFixed(0)} ms ` +
      `(${requests.get(1000)} requests), pages of 10,000 ${after.toFixed(0)} ms (${requests.get(10_000)} ` +
      `requests), ratio ${(before / after).toFixed(2)}x`,
  );
} finally {
  await stop(server);
  rmSync(dataDir, { recursive: true, force: true });
}
