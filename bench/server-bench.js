// Server benchmark: authenticated, authorised, audited reads of 1 KiB secrets from a real `hush server` child
// process, against a bare Fastify child process serving a constant 1 KiB body on one route. In the same run it
// also loads the floor servers of floor-server.js: node:http with no framework, serving the constant body (`raw`)
// or doing only the work every audited read must do (`minimum`), so the ratio can be read against what is possible
// on this machine at all. Every server is a child process loaded by autocannon from this process over loopback with
// the same connection count and duration.
// Run with `npm run bench:server` (builds first). Options: BENCH_CONNECTIONS (32), BENCH_SECONDS (10),
// BENCH_SECRETS (100), BENCH_CPU_PROF=1 (writes a V8 CPU profile of the hush server into ./bench-profiles),
// BENCH_AUDIT (fsync,write: the audit durability modes to run, comma-separated; `stdout` audits to the stdout
// sink instead of a file), BENCH_FLOOR (raw,minimum: the floor servers to run; empty for none),
// BENCH_LOG_LEVEL (warn; `info` adds the per-request log line a default server writes), BENCH_ROUNDS (1: run
// everything this many times, interleaved, and judge the median of the rounds' ratios; 3 on a shared machine).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  benchBare,
  call,
  freePort,
  load,
  printTable,
  REPO,
  rootTokenOf,
  spawnNode,
  stop,
} from './bench-http.js';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SECRETS = Number(process.env.BENCH_SECRETS ?? 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error('BENCH_ROUNDS: a whole number >= 1');
const WARMUP_SECONDS = 2;
const CPU_PROF = process.env.BENCH_CPU_PROF === '1';
const AUDIT_MODES = (process.env.BENCH_AUDIT ?? 'fsync,write').split(',').map((m) => m.trim());
for (const m of AUDIT_MODES)
  if (!['fsync', 'write', 'stdout'].includes(m)) throw new Error(`BENCH_AUDIT: unknown mode ${m}`);
const FLOORS = (process.env.BENCH_FLOOR ?? 'raw,minimum')
  .split(',')
  .map((m) => m.trim())
  .filter((m) => m !== '');
for (const m of FLOORS)
  if (!['raw', 'minimum'].includes(m)) throw new Error(`BENCH_FLOOR: unknown floor ${m}`);
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'warn';
const VALUE = randomBytes(768).toString('base64'); // 1024 characters = 1 KiB

const benchPaths = () => Array.from({ length: SECRETS }, (_, i) => `/v1/secrets/bench/prod/s${i}`);

async function benchHush(mode) {
  const dataDir = mkdtempSync(join(tmpdir(), 'hush-server-bench-'));
  const config = join(dataDir, 'hush.yaml');
  writeFileSync(
    config,
    mode === 'stdout' ? 'audit:\n  stdout: true\n' : `audit:\n  file:\n    sync: ${mode}\n`,
  );
  const port = await freePort();
  const profDir = join(REPO, 'bench-profiles');
  const server = await spawnNode(
    [
      ...(CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []),
      'bin/hush.js',
      'server',
      '--data-dir',
      dataDir,
      '--listen',
      `127.0.0.1:${port}`,
      '--log-level',
      LOG_LEVEL,
      '--config',
      config,
    ],
    /Hush server listening on/,
  );
  try {
    const base = `http://127.0.0.1:${port}`;
    const root = rootTokenOf(dataDir);
    await call(base, root, 'PUT', '/v1/sys/policies/bench-read', {
      name: 'bench-read',
      rules: [{ path: 'bench/prod/**', capabilities: ['read'] }],
    });
    const { token } = await call(base, root, 'POST', '/v1/auth/token/create', {
      policies: ['bench-read'],
      ttl: '1h',
    });
    const paths = benchPaths();
    for (const path of paths) await call(base, root, 'PUT', path, { value: VALUE });
    // Check the bench token really reads (authorised) and is refused elsewhere (policy applies).
    if ((await call(base, token, 'GET', paths[0])).value !== VALUE)
      throw new Error('read back a different value');
    const denied = await fetch(`${base}/v1/secrets/other/prod/x`, { headers: { 'x-hush-token': token } });
    if (denied.status !== 403) throw new Error(`expected 403 outside the policy, got ${denied.status}`);
    const requests = paths.map((path) => ({ path }));
    const headers = { 'x-hush-token': token };
    await load('hush warm-up', base, requests, {
      connections: CONNECTIONS,
      duration: WARMUP_SECONDS,
      headers,
    });
    return await load(`hush GET secret (audit ${mode})`, base, requests, {
      connections: CONNECTIONS,
      duration: SECONDS,
      headers,
      pid: server.child.pid,
    });
  } finally {
    await stop(server);
    rmSync(dataDir, { recursive: true, force: true });
    if (CPU_PROF) console.log(`CPU profile written to ${profDir}`);
  }
}

/** Load one floor server of floor-server.js (`raw` or `minimum`) and return its figures. */
async function benchFloor(work) {
  const auditDir = mkdtempSync(join(tmpdir(), 'hush-floor-bench-'));
  const port = await freePort();
  const server = await spawnNode(
    ['bench/floor-server.js', String(port), work, auditDir, String(SECRETS)],
    /floor listening/,
  );
  try {
    const token = /token=(\S+)/.exec(server.stdout())?.[1];
    const base = `http://127.0.0.1:${port}`;
    const requests = benchPaths().map((path) => ({ path }));
    const headers = { 'x-hush-token': token };
    await load(`floor ${work} warm-up`, base, requests, {
      connections: CONNECTIONS,
      duration: WARMUP_SECONDS,
      headers,
    });
    return await load(`floor: node:http, ${work}`, base, requests, {
      connections: CONNECTIONS,
      duration: SECONDS,
      headers,
      pid: server.child.pid,
    });
  } finally {
    await stop(server);
    rmSync(auditDir, { recursive: true, force: true });
  }
}

/** One round: bare Fastify, the floors, then hush in each audit mode, back to back. */
async function round() {
  const bare = await benchBare({
    connections: CONNECTIONS,
    duration: SECONDS,
    warmup: WARMUP_SECONDS,
    paths: benchPaths(),
  });
  const floors = [];
  for (const work of FLOORS) floors.push(await benchFloor(work));
  const runs = [];
  for (const mode of AUDIT_MODES) runs.push(await benchHush(mode));
  return { bare, floors, runs };
}

const median = (xs) => {
  // A run without a CPU figure (no /proc) gives NaN: leave those out rather than let them upset the sort.
  const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const cpuVs = (r, base) =>
  r.cpuUsPerRequest && base.cpuUsPerRequest ? r.cpuUsPerRequest / base.cpuUsPerRequest : Number.NaN;
const fmtRatio = (x, d = 3) => (Number.isNaN(x) ? '-' : x.toFixed(d));

/** The ratios of one round: every floor and hush run against bare, and hush against the `minimum` floor. */
function ratiosOf({ bare, floors, runs }) {
  const floor = floors.find((r) => r.title.endsWith('minimum'));
  return [
    ...floors.map((r) => ({ title: r.title, vsBare: r.rps / bare.rps, cpuVsBare: cpuVs(r, bare) })),
    ...runs.map((r) => ({
      title: r.title,
      vsBare: r.rps / bare.rps,
      cpuVsBare: cpuVs(r, bare),
      p99: r.p99,
      ...(floor ? { vsFloor: r.rps / floor.rps, cpuVsFloor: cpuVs(r, floor) } : {}),
    })),
  ];
}

async function main() {
  console.log(
    `server bench: ${CONNECTIONS} connections, ${SECONDS} s per run, ${SECRETS} secrets of 1 KiB, ${ROUNDS} round(s); ` +
      `node ${process.version}, ${cpus().length} cpu(s) ${cpus()[0]?.model ?? ''}`,
  );
  const rounds = [];
  for (let i = 0; i < ROUNDS; i += 1) {
    const r = await round();
    rounds.push(r);
    if (ROUNDS > 1) console.log(`round ${i + 1} of ${ROUNDS}:`);
    printTable([r.bare, ...r.floors, ...r.runs]);
  }
  // A shared machine drifts between runs: with several rounds, judge the median of each round's own ratios.
  const perRound = rounds.map(ratiosOf);
  const label = ROUNDS > 1 ? ` (median of ${ROUNDS} rounds)` : '';
  for (let k = 0; k < perRound[0].length; k += 1) {
    const rows = perRound.map((rs) => rs[k]);
    const m = (f) => median(rows.map(f));
    const { title, p99 } = rows[0];
    if (p99 === undefined) {
      console.log(
        `${title}: ratio to bare ${fmtRatio(m((r) => r.vsBare))}, CPU per request ${fmtRatio(
          m((r) => r.cpuVsBare),
          2,
        )}x bare's${label}`,
      );
      continue;
    }
    const ratio = m((r) => r.vsBare);
    const worstP99 = Math.max(...rows.map((r) => r.p99));
    const pass = ratio >= 0.5 && worstP99 < 5;
    console.log(
      `${title}: ratio to bare ${fmtRatio(ratio)} (target >= 0.5), p99 ${worstP99} ms (target < 5 ms): ${pass ? 'PASS' : 'BELOW TARGET'}` +
        `; CPU per request ${fmtRatio(
          m((r) => r.cpuVsBare),
          2,
        )}x bare's` +
        (rows[0].vsFloor === undefined
          ? ''
          : `; against the minimum floor: ratio ${fmtRatio(m((r) => r.vsFloor))}, CPU ${fmtRatio(
              m((r) => r.cpuVsFloor),
              2,
            )}x`) +
        label,
    );
  }
}

await main();
