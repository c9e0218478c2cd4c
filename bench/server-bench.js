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
// BENCH_LOG_LEVEL (warn; `info` adds the per-request log line a default server writes).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchBare, call, freePort, load, printTable, REPO, spawnNode, stop } from './bench-http.js';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SECRETS = Number(process.env.BENCH_SECRETS ?? 100);
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
    const root = /root token \(shown once, store it now\): (hush_s_\w+)/.exec(server.stdout())?.[1];
    if (!root) throw new Error('the server printed no root token');
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

async function main() {
  console.log(
    `server bench: ${CONNECTIONS} connections, ${SECONDS} s per run, ${SECRETS} secrets of 1 KiB; ` +
      `node ${process.version}, ${cpus().length} cpu(s) ${cpus()[0]?.model ?? ''}`,
  );
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
  printTable([bare, ...floors, ...runs]);
  const cpuVs = (r, base) =>
    r.cpuUsPerRequest && base.cpuUsPerRequest ? (r.cpuUsPerRequest / base.cpuUsPerRequest).toFixed(2) : '-';
  for (const r of floors)
    console.log(
      `${r.title}: ratio to bare ${(r.rps / bare.rps).toFixed(3)}, CPU per request ${cpuVs(r, bare)}x bare's`,
    );
  const floor = floors.find((r) => r.title.endsWith('minimum'));
  for (const r of runs) {
    const ratio = r.rps / bare.rps;
    const pass = ratio >= 0.5 && r.p99 < 5;
    console.log(
      `${r.title}: ratio to bare ${ratio.toFixed(3)} (target >= 0.5), p99 ${r.p99} ms (target < 5 ms): ${pass ? 'PASS' : 'BELOW TARGET'}` +
        `; CPU per request ${cpuVs(r, bare)}x bare's` +
        (floor
          ? `; against the minimum floor: ratio ${(r.rps / floor.rps).toFixed(3)}, CPU ${cpuVs(r, floor)}x`
          : ''),
    );
  }
}

await main();
