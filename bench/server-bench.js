// Server benchmark: authenticated, authorised, audited reads of 1 KiB secrets from a real `hush server` child
// process, against a bare Fastify child process serving a constant 1 KiB body on one route. Both are loaded by
// autocannon from this process over loopback with the same connection count and duration.
// Run with `npm run bench:server` (builds first). Options: BENCH_CONNECTIONS (32), BENCH_SECONDS (10),
// BENCH_SECRETS (100), BENCH_CPU_PROF=1 (writes a V8 CPU profile of the hush server into ./bench-profiles),
// BENCH_AUDIT (fsync,write: the audit durability modes to run, comma-separated; `stdout` audits to the stdout
// sink instead of a file),
// BENCH_LOG_LEVEL (warn; `info` adds the per-request log line a default server writes).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { call, freePort } from './bench-http.js';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SECRETS = Number(process.env.BENCH_SECRETS ?? 100);
const WARMUP_SECONDS = 2;
const CPU_PROF = process.env.BENCH_CPU_PROF === '1';
const AUDIT_MODES = (process.env.BENCH_AUDIT ?? 'fsync,write').split(',').map((m) => m.trim());
for (const m of AUDIT_MODES)
  if (!['fsync', 'write', 'stdout'].includes(m)) throw new Error(`BENCH_AUDIT: unknown mode ${m}`);
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'warn';
const REPO = resolve(fileURLToPath(import.meta.url), '../..');
const VALUE = randomBytes(768).toString('base64'); // 1024 characters = 1 KiB

/** Spawn a node child and resolve once stdout matches `ready`; returns the child and the captured stdout. */
function spawnNode(args, ready, env = {}) {
  const child = spawn(process.execPath, args, {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c) => {
    // Keep only the start-up output: with BENCH_AUDIT=stdout the audit trail streams through here.
    if (out.length < 64 * 1024) out += c;
  });
  child.stderr.setEncoding('utf8').on('data', (c) => {
    err += c;
  });
  const exited = new Promise((res) => child.on('close', res));
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`child did not start: ${out}\n${err}`)), 20_000);
    const check = () => {
      if (!ready.test(out)) return;
      clearTimeout(timer);
      child.stdout.off('data', check);
      res({ child, stdout: () => out, exited });
    };
    child.stdout.on('data', check);
    child.on('close', (code) => rej(new Error(`child exited (${code}) before starting: ${out}\n${err}`)));
  });
}

async function stop({ child, exited }) {
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** CPU time (user + system, ms) a process has used so far, from /proc (Linux); undefined elsewhere. */
function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime in clock ticks (100/s)
  } catch {
    return undefined;
  }
}

/** Run autocannon; fail loudly if any response was not 2xx (a benchmark of errors measures nothing). */
async function load(title, url, requests, headers = {}, duration = SECONDS, pid = undefined) {
  const cpuBefore = pid === undefined ? undefined : cpuMs(pid);
  const result = await autocannon({ title, url, connections: CONNECTIONS, duration, headers, requests });
  const cpuAfter = pid === undefined ? undefined : cpuMs(pid);
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0)
    throw new Error(
      `${title}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  return {
    title,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    // Server CPU per request: steadier than req/s when other work shares the machine.
    cpuUsPerRequest:
      cpuBefore === undefined || cpuAfter === undefined
        ? undefined
        : ((cpuAfter - cpuBefore) * 1000) / result.requests.total,
  };
}

const BARE = `
import Fastify from 'fastify';
const body = JSON.stringify({ value: 'x'.repeat(1024) });
const app = Fastify({ logger: false });
app.get('/v1/secrets/*', async (_req, reply) => reply.type('application/json').send(body));
await app.listen({ host: '127.0.0.1', port: Number(process.argv[1]) });
process.stdout.write('bare listening\\n');
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
`;

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
    const paths = [];
    for (let i = 0; i < SECRETS; i += 1) {
      const path = `/v1/secrets/bench/prod/s${i}`;
      await call(base, root, 'PUT', path, { value: VALUE });
      paths.push(path);
    }
    // Check the bench token really reads (authorised) and is refused elsewhere (policy applies).
    if ((await call(base, token, 'GET', paths[0])).value !== VALUE)
      throw new Error('read back a different value');
    const denied = await fetch(`${base}/v1/secrets/other/prod/x`, { headers: { 'x-hush-token': token } });
    if (denied.status !== 403) throw new Error(`expected 403 outside the policy, got ${denied.status}`);
    await load(
      'hush warm-up',
      base,
      paths.map((path) => ({ path })),
      { 'x-hush-token': token },
      WARMUP_SECONDS,
    );
    return await load(
      `hush GET secret (audit ${mode})`,
      base,
      paths.map((path) => ({ path })),
      {
        'x-hush-token': token,
      },
      SECONDS,
      server.child.pid,
    );
  } finally {
    await stop(server);
    rmSync(dataDir, { recursive: true, force: true });
    if (CPU_PROF) console.log(`CPU profile written to ${profDir}`);
  }
}

async function benchBare() {
  const port = await freePort();
  const server = await spawnNode(['--input-type=module', '-e', BARE, String(port)], /bare listening/);
  try {
    const base = `http://127.0.0.1:${port}`;
    const requests = Array.from({ length: SECRETS }, (_, i) => ({ path: `/v1/secrets/bench/prod/s${i}` }));
    await load('bare warm-up', base, requests, {}, WARMUP_SECONDS);
    return await load('bare fastify: constant 1 KiB', base, requests, {}, SECONDS, server.child.pid);
  } finally {
    await stop(server);
  }
}

const fmt = (n, d = 2) => n.toFixed(d).padStart(10);

async function main() {
  console.log(
    `server bench: ${CONNECTIONS} connections, ${SECONDS} s per run, ${SECRETS} secrets of 1 KiB; ` +
      `node ${process.version}, ${cpus().length} cpu(s) ${cpus()[0]?.model ?? ''}`,
  );
  const bare = await benchBare();
  const runs = [];
  for (const mode of AUDIT_MODES) runs.push(await benchHush(mode));
  console.log(
    `${'run'.padEnd(34)}${'req/s'.padStart(10)}${'p50 ms'.padStart(10)}${'p99 ms'.padStart(10)}${'CPU µs/req'.padStart(12)}`,
  );
  for (const r of [bare, ...runs])
    console.log(
      `${r.title.padEnd(34)}${fmt(r.rps, 0)}${fmt(r.p50)}${fmt(r.p99)}${(r.cpuUsPerRequest?.toFixed(0) ?? '-').padStart(12)}`,
    );
  for (const r of runs) {
    const ratio = r.rps / bare.rps;
    const pass = ratio >= 0.5 && r.p99 < 5;
    console.log(
      `${r.title}: ratio to bare ${ratio.toFixed(3)} (target >= 0.5), p99 ${r.p99} ms (target < 5 ms): ${pass ? 'PASS' : 'BELOW TARGET'}` +
        (r.cpuUsPerRequest && bare.cpuUsPerRequest
          ? `; server CPU per request ${(r.cpuUsPerRequest / bare.cpuUsPerRequest).toFixed(2)}x bare's`
          : ''),
    );
  }
}

await main();
