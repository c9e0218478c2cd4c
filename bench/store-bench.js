// Store benchmark: encrypted get/put of 1 KiB values through createStore on SQLite, against raw better-sqlite3
// point reads/writes of the same bytes with the backend's settings (WAL, synchronous=FULL, prepared statements).
// Run with `npm run bench:store` (builds first). Options: BENCH_GETS, BENCH_PUTS, BENCH_PUT_SECONDS, BENCH_ROUNDS.
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { KeyFileSeal } from '../dist/seal/index.js';
import { openSqliteBackend } from '../dist/storage/sqlite/sqlite-backend.js';
import { createStore } from '../dist/store/index.js';

const GETS = Number(process.env.BENCH_GETS ?? 20_000);
const PUTS = Number(process.env.BENCH_PUTS ?? 2_000);
// Writes fsync at every commit, so on slow disks the put phases stop after this many seconds instead of PUTS ops.
const PUT_SECONDS = Number(process.env.BENCH_PUT_SECONDS ?? 4);
const KEYS = 1_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const VALUE = randomBytes(768).toString('base64'); // 1024 characters = 1 KiB

const dir = mkdtempSync(join(tmpdir(), 'hush-bench-'));

/** Run `op(i)` `count` times (or until `seconds` pass) after a warm-up; returns ops, seconds, ops/s. */
async function measure(name, count, op, seconds = Number.POSITIVE_INFINITY) {
  for (let i = 0; i < Math.min(500, count / 10); i += 1) await op(i, true);
  const start = process.hrtime.bigint();
  let done = 0;
  for (; done < count; done += 1) {
    await op(done, false);
    if (done % 64 === 0 && Number(process.hrtime.bigint() - start) / 1e9 > seconds) break;
  }
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  return { name, ops: done, secs, rate: done / secs };
}

async function openStore() {
  const store = createStore({
    backend: await openSqliteBackend({ path: join(dir, 'hush.db') }),
    seal: new KeyFileSeal({ path: join(dir, 'root.key') }),
  });
  await store.init();
  for (let i = 0; i < KEYS; i += 1) await store.put(`bench/dev/k${i}`, VALUE, { actor: 'bench' });
  return store;
}

function openRaw() {
  const db = new Database(join(dir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE kv (key TEXT NOT NULL PRIMARY KEY, value BLOB NOT NULL, revision INTEGER NOT NULL)');
  const bytes = Buffer.from(VALUE, 'utf8');
  const write = db.prepare(
    'INSERT INTO kv (key, value, revision) VALUES (?, ?, 1) ON CONFLICT(key) DO UPDATE SET value = excluded.value, revision = revision + 1',
  );
  const read = db.prepare('SELECT value, revision FROM kv WHERE key = ?');
  db.transaction(() => {
    for (let i = 0; i < KEYS; i += 1) write.run(`bench/dev/k${i}`, bytes);
  })();
  return { db, write, read, bytes };
}

/** The faster of two results (noise on a shared machine only ever slows a run down). */
const best = (a, b) => (a === undefined || b.rate > a.rate ? b : a);

try {
  const store = await openStore();
  const raw = openRaw();
  const results = {};
  // Alternate the four measurements over several rounds and keep each one's best round.
  for (let round = 0; round < ROUNDS; round += 1) {
    const tag = `r${round}`;
    results.get = best(
      results.get,
      await measure('encrypted get (createStore)', GETS, async () => {
        const read = await store.get(`bench/dev/k${randomInt(KEYS)}`);
        if (read.value.length !== VALUE.length) throw new Error('bad read');
      }),
    );
    results.rawRead = best(
      results.rawRead,
      await measure('raw read (better-sqlite3)', GETS, async () => {
        const row = raw.read.get(`bench/dev/k${randomInt(KEYS)}`);
        if (row.value.length !== raw.bytes.length) throw new Error('bad read');
      }),
    );
    results.put = best(
      results.put,
      await measure(
        'encrypted put (createStore)',
        PUTS,
        (i, warm) => store.put(`bench/dev/${tag}${warm ? 'w' : 'p'}${i}`, VALUE, { actor: 'bench' }),
        PUT_SECONDS,
      ),
    );
    results.rawWrite = best(
      results.rawWrite,
      await measure(
        'raw write (better-sqlite3)',
        PUTS,
        async (i, warm) => raw.write.run(`bench/dev/${tag}${warm ? 'w' : 'p'}${i}`, raw.bytes),
        PUT_SECONDS,
      ),
    );
  }
  await store.close();
  raw.db.close();
  const { get, rawRead, put, rawWrite } = results;
  const rows = [get, rawRead, put, rawWrite];
  const pad = (s, n) => String(s).padEnd(n);
  console.log(`best of ${ROUNDS} alternating rounds; 1 KiB values; SQLite WAL + synchronous=FULL`);
  console.log(`${pad('operation', 30)}${pad('ops', 8)}${pad('seconds', 10)}${pad('ops/s', 12)}us/op`);
  for (const r of rows) {
    console.log(
      `${pad(r.name, 30)}${pad(r.ops, 8)}${pad(r.secs.toFixed(2), 10)}${pad(Math.round(r.rate), 12)}${(1e6 / r.rate).toFixed(1)}`,
    );
  }
  const getRatio = get.rate / rawRead.rate;
  console.log(`\nratio get/raw-read:   ${getRatio.toFixed(3)}x`);
  console.log(`ratio put/raw-write:  ${(put.rate / rawWrite.rate).toFixed(3)}x`);
  console.log('target: encrypted get >= 0.33x raw read');
  console.log(getRatio >= 0.33 ? 'result: target met' : 'result: BELOW target');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
