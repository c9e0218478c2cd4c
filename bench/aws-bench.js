// AWS endpoint benchmark: GetSecretValue through @aws-sdk/client-secrets-manager (SigV4 signed, verified by the
// server, the key's sealed record and token looked up, translated into the store read) against the native
// `GET /v1/secrets/<address>` with a token, both serial over loopback against one real `hush server`. The ratio is
// AWS ops/s over native ops/s per round, in the same process. Run with `npm run build && node bench/aws-bench.js`.
// Options: BENCH_OPS, BENCH_ROUNDS.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

const OPS = Number(process.env.BENCH_OPS ?? 2_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const dir = mkdtempSync(join(tmpdir(), 'hush-aws-bench-'));

const port = await new Promise((resolve) => {
  const srv = createServer().listen(0, '127.0.0.1', () => {
    const p = srv.address().port;
    srv.close(() => resolve(p));
  });
});
const server = spawn(
  process.execPath,
  ['bin/hush.js', 'server', '--data-dir', dir, '--listen', `127.0.0.1:${port}`],
  { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '' } },
);

async function rate(count, op) {
  for (let i = 0; i < Math.min(100, count / 10); i += 1) await op();
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i += 1) await op();
  return count / (Number(process.hrtime.bigint() - start) / 1e9);
}

try {
  const url = `http://127.0.0.1:${port}`;
  await new Promise((resolve, reject) => {
    let out = '';
    server.stdout.setEncoding('utf8').on('data', (c) => {
      out += c;
      if (/listening on/.test(out)) resolve();
    });
    server.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  // Without a terminal the server writes the root token to a 0600 file in its data directory.
  for (let i = 0; i < 100; i += 1) {
    try {
      readFileSync(join(dir, 'root-token'));
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const root = readFileSync(join(dir, 'root-token'), 'utf8').trim();
  const call = async (method, path, body) => {
    const res = await fetch(url + path, {
      method,
      headers: { 'x-hush-token': root, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  await call('PUT', '/v1/secrets/bench/prod/db-password', { value: 'x'.repeat(64) });
  const key = await call('POST', '/v1/aws/keys', { policies: ['root'] });
  const sm = new SecretsManagerClient({
    endpoint: `${url}/v1/aws`,
    region: 'eu-west-1',
    credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
    maxAttempts: 1,
  });
  const ratios = [];
  for (let round = 1; round <= ROUNDS; round += 1) {
    const native = await rate(OPS, () => call('GET', '/v1/secrets/bench/prod/db-password'));
    const aws = await rate(OPS, () =>
      sm.send(new GetSecretValueCommand({ SecretId: 'bench/prod/db-password' })),
    );
    ratios.push(aws / native);
    console.log(
      `round ${round}: native GET ${native.toFixed(0)} ops/s, AWS GetSecretValue ${aws.toFixed(0)} ops/s, ratio ${(aws / native).toFixed(2)}x`,
    );
  }
  ratios.sort((a, b) => a - b);
  console.log(`median ratio ${ratios[Math.floor(ratios.length / 2)].toFixed(2)}x (AWS over native)`);
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
