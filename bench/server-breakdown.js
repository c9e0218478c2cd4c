// Where one audited read's CPU goes, in process: the server composed exactly as `hush server` composes it (SQLite,
// key-file seal, file audit sink), timed piece by piece with no socket in between, each against the same machine
// in the same run. Companion to server-bench.js, whose figures include the HTTP layer and the load generator.
// Run with `npm run build && node bench/server-breakdown.js`. Options: BENCH_ITERATIONS (20000), BENCH_AUDIT
// (`write`: the audit durability mode of the composed server; `fsync` waits on the disk).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadServerConfig } from '../dist/config/server-config.js';
import { GENESIS_HEAD } from '../dist/core/audit/audit-record.js';
import { chainRecord } from '../dist/core/audit/hash-chain.js';
import { buildApp } from '../dist/server/app.js';
import { openServerDeps } from '../dist/server/compose/open-server-deps.js';

const N = Number(process.env.BENCH_ITERATIONS ?? 20_000);
const AUDIT = process.env.BENCH_AUDIT ?? 'write';
const CONCURRENCY = 32;

/** Run `step` N times (after a warm-up) with `concurrency` loops in flight; µs of wall and CPU time per step. */
async function time(step, concurrency = 1) {
  for (let i = 0; i < Math.min(2_000, N); i += 1) await step(i);
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < N) await step(next++);
    }),
  );
  const wall = Number(process.hrtime.bigint() - t0) / 1000 / N;
  const cpu = process.cpuUsage(cpu0);
  return { wall, cpu: (cpu.user + cpu.system) / N };
}

const dir = mkdtempSync(join(tmpdir(), 'hush-breakdown-'));
writeFileSync(join(dir, 'hush.yaml'), `audit:\n  file:\n    sync: ${AUDIT}\n`);
const { config } = loadServerConfig({
  configFile: join(dir, 'hush.yaml'),
  env: {},
  flags: { dataDir: dir, logLevel: 'error' },
});
let printed = '';
const deps = await openServerDeps(config, { write: (text) => (printed += text) });
const root = /root token \(shown once, store it now\): (hush_s_\w+)/.exec(printed)?.[1];
if (!root) throw new Error('the server printed no root token');
const app = buildApp(deps, config);
await app.ready();
try {
  const inject = async (method, url, token, body) => {
    const res = await app.inject({
      method,
      url,
      headers: { 'x-hush-token': token, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { payload: JSON.stringify(body) } : {}),
    });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.body ? JSON.parse(res.body) : undefined;
  };
  await inject('PUT', '/v1/sys/policies/bench-read', root, {
    rules: [{ path: 'bench/prod/**', capabilities: ['read'] }],
  });
  const { token } = await inject('POST', '/v1/auth/token/create', root, {
    policies: ['bench-read'],
    ttl: '1h',
  });
  const value = randomBytes(768).toString('base64'); // 1 KiB, as in server-bench.js
  for (let i = 0; i < 100; i += 1) await inject('PUT', `/v1/secrets/bench/prod/s${i}`, root, { value });
  const caller = await deps.auth.authenticate(token);
  const event = {
    time: new Date().toISOString(),
    requestId: '7f1d2c3e-1111-4222-8333-944455556666',
    identity: 'token',
    tokenAccessor: caller.accessor ?? null,
    authMethod: 'token',
    sourceAddress: '127.0.0.1',
    operation: 'secrets.read',
    path: 'bench/prod/s1',
    outcome: 'allowed',
    errorCode: null,
    details: { status: 200, method: 'GET', version: 1 },
  };
  let head = GENESIS_HEAD;
  const read = (i) => ({
    method: 'GET',
    url: `/v1/secrets/bench/prod/s${i % 100}`,
    headers: { 'x-hush-token': token },
  });
  const rows = [
    ['authenticate (token lookup, HMAC id)', await time(() => deps.auth.authenticate(token))],
    ['authorize (policy check)', await time(() => deps.auth.authorize(caller, 'bench/prod/s1', 'read'))],
    ['store get (AES-GCM open of 1 KiB)', await time((i) => deps.parts.store.get(`bench/prod/s${i % 100}`))],
    [
      'audit record chaining (redacted event)',
      await time(() => {
        head = chainRecord(head, event).head;
      }),
    ],
    [
      `whole read, inject x${CONCURRENCY} (audit ${AUDIT})`,
      await time((i) => app.inject(read(i)), CONCURRENCY),
    ],
    [
      `GET /v1/sys/health, inject x${CONCURRENCY}`,
      await time(() => app.inject({ method: 'GET', url: '/v1/sys/health' }), CONCURRENCY),
    ],
  ];
  console.log(
    `server breakdown: ${N} iterations per row; node ${process.version}, ${cpus().length} cpu(s) ${cpus()[0]?.model ?? ''}`,
  );
  console.log(`${'step'.padEnd(44)}${'wall µs'.padStart(10)}${'CPU µs'.padStart(10)}`);
  for (const [name, t] of rows)
    console.log(`${name.padEnd(44)}${t.wall.toFixed(2).padStart(10)}${t.cpu.toFixed(2).padStart(10)}`);
  console.log(
    'The health row is Fastify plus Hush hooks plus inject with no auth, store or audit: the floor under the read.',
  );
} finally {
  await app.close();
  for (const stop of deps.onShutdown ?? []) await stop();
  rmSync(dir, { recursive: true, force: true });
}
