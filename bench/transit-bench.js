// Transit benchmark: in-process encrypt (AES-256-GCM, 1 KiB) and sign (ECDSA P-256, Ed25519) through the transit
// service (key record read from the sealed record store on SQLite, base64 in and out, hush:v<N>: strings), against
// the same operations on raw node:crypto with a ready KeyObject. Ratios are per round, in the same process.
// Run with `npm run build && node bench/transit-bench.js`. Options: BENCH_OPS, BENCH_ROUNDS.
import { createCipheriv, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyFileSeal } from '../dist/seal/index.js';
import { openSqliteBackend } from '../dist/storage/sqlite/sqlite-backend.js';
import { createStore } from '../dist/store/index.js';
import { createTransit } from '../dist/transit/index.js';

const OPS = Number(process.env.BENCH_OPS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PLAIN = randomBytes(1024);
const PLAIN_B64 = PLAIN.toString('base64');
const MESSAGE = randomBytes(256);
const MESSAGE_B64 = MESSAGE.toString('base64');

const dir = mkdtempSync(join(tmpdir(), 'hush-transit-bench-'));

/** Ops per second of `op` over `count` calls (async calls awaited one at a time, as a request would). */
async function rate(count, op) {
  for (let i = 0; i < Math.min(500, count / 10); i += 1) await op();
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i += 1) await op();
  return count / (Number(process.hrtime.bigint() - start) / 1e9);
}

async function main() {
  const store = createStore({
    backend: await openSqliteBackend({ path: join(dir, 'hush.db') }),
    seal: new KeyFileSeal({ path: join(dir, 'root.key') }),
  });
  await store.init();
  const transit = createTransit(store);
  await transit.keys.create('bench-aes', { type: 'aes256-gcm96' });
  await transit.keys.create('bench-p256', { type: 'ecdsa-p256' });
  await transit.keys.create('bench-ed', { type: 'ed25519' });

  const aesKey = randomBytes(32);
  const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const ed = generateKeyPairSync('ed25519').privateKey;
  const rawEncrypt = () => {
    const plain = Buffer.from(PLAIN_B64, 'base64');
    const nonce = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', aesKey, nonce);
    const body = c.update(plain);
    c.final();
    return `v1:${Buffer.concat([nonce, body, c.getAuthTag()]).toString('base64')}`;
  };
  const cases = [
    {
      name: 'encrypt aes256-gcm96, 1 KiB',
      hush: () => transit.ops.encrypt('bench-aes', [{ plaintext: PLAIN_B64 }]),
      raw: rawEncrypt,
      count: OPS,
    },
    {
      name: 'sign ecdsa-p256, sha2-256',
      hush: () => transit.ops.sign('bench-p256', [{ input: MESSAGE_B64 }]),
      raw: () => sign('sha256', Buffer.from(MESSAGE_B64, 'base64'), p256).toString('base64'),
      count: OPS / 4,
    },
    {
      name: 'sign ed25519',
      hush: () => transit.ops.sign('bench-ed', [{ input: MESSAGE_B64 }]),
      raw: () => sign(null, Buffer.from(MESSAGE_B64, 'base64'), ed).toString('base64'),
      count: OPS / 4,
    },
  ];
  console.log(`transit bench: ${ROUNDS} rounds; target hush >= 0.7x raw node:crypto`);
  for (const c of cases) {
    const ratios = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const raw = await rate(c.count, c.raw);
      const hush = await rate(c.count, c.hush);
      ratios.push(hush / raw);
      console.log(
        `  ${c.name}: hush ${hush.toFixed(0)} ops/s, raw ${raw.toFixed(0)} ops/s, ratio ${(hush / raw).toFixed(2)}x`,
      );
    }
    ratios.sort((a, b) => a - b);
    const median = ratios[Math.floor(ratios.length / 2)];
    console.log(`${c.name}: median ratio ${median.toFixed(2)}x (${median >= 0.7 ? 'met' : 'NOT met'})`);
  }
  await store.seal({ persist: false });
}

try {
  await main();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
