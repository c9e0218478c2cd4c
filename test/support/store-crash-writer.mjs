// Child process for the store crash test: opens the real (compiled) store over SQLite with the key-file seal, prints
// `ready`, waits for a line on stdin (so the parent can keep warm writers while another one runs), then writes, for n = start, start+1, ...: a new secret crash/dev/k<n> = storeCrashValue(n), then overwrites
// crash/dev/latest with the same value. It prints `ack n` only after both puts resolved. The parent SIGKILLs it.
import { KeyFileSeal } from '../../dist/seal/index.js';
import { openSqliteBackend } from '../../dist/storage/sqlite/sqlite-backend.js';
import { createStore } from '../../dist/store/index.js';

const [dbPath, keyPath, startArg] = process.argv.slice(2);
/** Deterministic, distinctive value of write n (shared shape with the parent; kept inline to stay one file). */
const value = (n) => `value-${n}-${'x'.repeat(n % 300)}-end`;
const store = createStore({
  backend: await openSqliteBackend({ path: dbPath }),
  seal: new KeyFileSeal({ path: keyPath }),
});
await store.unseal();
process.stdout.write('ready\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
for (let n = Number(startArg); ; n += 1) {
  await store.put(`crash/dev/k${n}`, value(n), { actor: 'test:crash' });
  await store.put('crash/dev/latest', value(n), { actor: 'test:crash' });
  process.stdout.write(`ack ${n}\n`);
}
