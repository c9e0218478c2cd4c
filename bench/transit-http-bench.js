// Transit over HTTP: `POST /v1/transit/encrypt/<key>` (AES-256-GCM, 1 KiB plaintext) on a real `hush server`
// child process with an application token holding only `encrypt` on the key, against the `minimum` floor server
// of floor-server.js (docs/benchmarks.md, `npm run bench:server` step 5: the work every audited read must do on
// plain node:http). Both are loaded by autocannon from this process over loopback with the same connection count
// and duration, in the same run, and the ratio hush / floor is printed (median of rounds).
// Run with `npm run build && node bench/transit-http-bench.js`. Options: BENCH_CONNECTIONS (32), BENCH_SECONDS (10),
// BENCH_ROUNDS (1; 3 on a shared machine), BENCH_AUDIT (write; fsync to fsync the audit file before each reply).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, freePort, load, printTable, rootTokenOf, spawnNode, stop } from './bench-http.js';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const AUDIT = process.env.BENCH_AUDIT ?? 'write';
if (!['write', 'fsync'].includes(AUDIT)) throw new Error(`BENCH_AUDIT: write or fsync, not ${AUDIT}`);
const WARMUP_SECONDS = 2;
const SECRETS = 100;
const BODY = JSON.stringify({ plaintext: randomBytes(1024).toString('base64') });

async function benchTransit() {
  const dataDir = mkdtempSync(join(tmpdir(), 'hush-transit-http-bench-'));
  const config = join(dataDir, 'hush.yaml');
  writeFileSync(config, `audit:\n  file:\n    sync: ${AUDIT}\n`);
  const port = await freePort();
  const server = await spawnNode(
    [
      'bin/hush.js',
      'server',
      '--data-dir',
      dataDir,
      '--listen',
      `127.0.0.1:${port}`,
      '--log-level',
      'warn',
      '--config',
      config,
    ],
    /Hush server listening on/,
  );
  try {
    const base = `http://127.0.0.1:${port}`;
    const root = rootTokenOf(dataDir);
    await call(base, root, 'POST', '/v1/transit/keys/bench', { type: 'aes256-gcm96' });
    await call(base, root, 'PUT', '/v1/sys/policies/bench-encrypt', {
      name: 'bench-encrypt',
      rules: [{ path: 'transit/keys/bench', capabilities: ['encrypt'] }],
    });
    const { token } = await call(base, root, 'POST', '/v1/auth/token/create', {
      policies: ['bench-encrypt'],
      ttl: '1h',
    });
    const out = await call(base, token, 'POST', '/v1/transit/encrypt/bench', JSON.parse(BODY));
    if (!/^hush:v1:/.test(out.ciphertext)) throw new Error('encrypt returned no hush:v1: ciphertext');
    const denied = await fetch(`${base}/v1/transit/decrypt/bench`, {
      method: 'POST',
      headers: { 'x-hush-token': token, 'content-type': 'application/json' },
      body: JSON.stringify({ ciphertext: out.ciphertext }),
    });
    if (denied.status !== 403)
      throw new Error(`expected 403 for decrypt with an encrypt-only token, got ${denied.status}`);
    const requests = [{ method: 'POST', path: '/v1/transit/encrypt/bench', body: BODY }];
    const headers = { 'x-hush-token': token, 'content-type': 'application/json' };
    await load('hush transit warm-up', base, requests, {
      connections: CONNECTIONS,
      duration: WARMUP_SECONDS,
      headers,
    });
    return await load(`hush POST transit encrypt (${AUDIT})`, base, requests, {
      connections: CONNECTIONS,
      duration: SECONDS,
      headers,
      pid: server.child.pid,
    });
  } finally {
    await stop(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The `minimum` floor of floor-server.js, loaded exactly as `npm run bench:server` loads it. */
async function benchFloor() {
  const auditDir = mkdtempSync(join(tmpdir(), 'hush-floor-bench-'));
  const port = await freePort();
  const server = await spawnNode(
    ['bench/floor-server.js', String(port), 'minimum', auditDir, String(SECRETS)],
    /floor listening/,
  );
  try {
    const token = /token=(\S+)/.exec(server.stdout())?.[1];
    const base = `http://127.0.0.1:${port}`;
    const requests = Array.from({ length: SECRETS }, (_, i) => ({ path: `/v1/secrets/bench/prod/s${i}` }));
    const headers = { 'x-hush-token': token };
    await load('floor minimum warm-up', base, requests, {
      connections: CONNECTIONS,
      duration: WARMUP_SECONDS,
      headers,
    });
    return await load('floor: node:http, minimum', base, requests, {
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

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

async function main() {
  console.log(
    `transit HTTP bench: ${CONNECTIONS} connections, ${SECONDS} s per run, ${ROUNDS} round(s), audit ${AUDIT}; ` +
      `node ${process.version}, ${cpus().length} cpu(s) ${cpus()[0]?.model ?? ''}`,
  );
  const ratios = [];
  for (let i = 0; i < ROUNDS; i += 1) {
    const floor = await benchFloor();
    const hush = await benchTransit();
    if (ROUNDS > 1) console.log(`round ${i + 1} of ${ROUNDS}:`);
    printTable([floor, hush]);
    ratios.push(hush.rps / floor.rps);
  }
  const label =
    ROUNDS > 1 ? ` (median of ${ROUNDS} rounds: ${ratios.map((r) => r.toFixed(3)).join(', ')})` : '';
  console.log(`hush transit encrypt / floor minimum (req/s): ${median(ratios).toFixed(3)}${label}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
