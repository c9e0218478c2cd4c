// Helpers the HTTP benchmarks (server-bench.js, cluster-bench.js) share.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

/** A port that was free a moment ago. */
export function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

/** One JSON API call with a token; throws on a non-2xx answer (a benchmark set up on errors measures nothing). */
export async function call(base, token, method, path, body) {
  const res = await fetch(base + path, {
    method,
    headers: { 'x-hush-token': token, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/**
 * The root token a fresh server wrote to `<dataDir>/root-token`: with no terminal attached it never prints the token
 * (stdout may be a log pipeline), so a bench that spawns a server reads the file.
 */
export function rootTokenOf(dataDir) {
  const token = readFileSync(resolve(dataDir, 'root-token'), 'utf8').trim();
  if (!token) throw new Error(`no root token in ${dataDir}/root-token`);
  return token;
}

/** The repository root: children run from here (`bin/hush.js`, `dist/`). */
export const REPO = resolve(fileURLToPath(import.meta.url), '../..');

/**
 * Spawn a node child and resolve once stdout matches `ready`; returns the child and the captured stdout. `env`
 * replaces the environment when `replaceEnv` is set, else it is added to this process's.
 */
export function spawnNode(args, ready, env = {}, { replaceEnv = false, timeoutMs = 20_000 } = {}) {
  const child = spawn(process.execPath, args, {
    cwd: REPO,
    env: replaceEnv ? env : { ...process.env, ...env },
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
    const timer = setTimeout(() => rej(new Error(`child did not start: ${out}\n${err}`)), timeoutMs);
    const check = () => {
      if (!ready.test(out)) return;
      clearTimeout(timer);
      child.stdout.off('data', check);
      res({ child, stdout: () => out, exited });
    };
    child.stdout.on('data', check);
    child.on('close', (code) => {
      clearTimeout(timer);
      rej(new Error(`child exited (${code}) before starting: ${out}\n${err}`));
    });
  });
}

/** SIGTERM a child from {@link spawnNode} (SIGKILL after 10 s) and wait for it to exit. */
export async function stop({ child, exited }) {
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

/**
 * Run autocannon against `url`, cycling through `requests`; fail loudly if any response was not 2xx (a benchmark
 * of errors measures nothing). With `pid`, also report that process's CPU µs per request.
 */
export async function load(title, url, requests, { connections, duration, headers = {}, pid }) {
  const cpuBefore = pid === undefined ? undefined : cpuMs(pid);
  const result = await autocannon({ title, url, connections, duration, headers, requests });
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

/** The baseline: a bare Fastify server whose one route returns a constant 1 KiB JSON body. */
const BARE = `
import Fastify from 'fastify';
const body = JSON.stringify({ value: 'x'.repeat(1024) });
const app = Fastify({ logger: false });
app.get('/v1/secrets/*', async (_req, reply) => reply.type('application/json').send(body));
await app.listen({ host: '127.0.0.1', port: Number(process.argv[1]) });
process.stdout.write('bare listening\\n');
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
`;

/** Load the bare Fastify baseline in a child process (warm-up, then the measured run) and return its figures. */
export async function benchBare({ connections, duration, warmup, paths }) {
  const port = await freePort();
  const server = await spawnNode(['--input-type=module', '-e', BARE, String(port)], /bare listening/);
  try {
    const base = `http://127.0.0.1:${port}`;
    const requests = paths.map((path) => ({ path }));
    await load('bare warm-up', base, requests, { connections, duration: warmup });
    return await load('bare fastify: constant 1 KiB', base, requests, {
      connections,
      duration,
      pid: server.child.pid,
    });
  } finally {
    await stop(server);
  }
}

/** Print a figures table: req/s, p50, p99 and server CPU µs per request. */
export function printTable(rows, width = 34) {
  const fmt = (n, d = 2) => n.toFixed(d).padStart(10);
  console.log(
    `${'run'.padEnd(width)}${'req/s'.padStart(10)}${'p50 ms'.padStart(10)}${'p99 ms'.padStart(10)}${'CPU µs/req'.padStart(12)}`,
  );
  for (const r of rows)
    console.log(
      `${r.title.padEnd(width)}${fmt(r.rps, 0)}${fmt(r.p50)}${fmt(r.p99)}${(r.cpuUsPerRequest?.toFixed(0) ?? '-').padStart(12)}`,
    );
}
