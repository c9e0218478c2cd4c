// Child process for the two-process check-and-set test: increments the counter at `counter` N times with
// read-then-CAS, retrying on HUSH_E_CAS_CONFLICT, and prints `ack <value>` after each successful put.
import { openSqliteBackend } from '../../dist/storage/sqlite/sqlite-backend.js';

const [dbPath, countArg] = process.argv.slice(2);
const backend = await openSqliteBackend({ path: dbPath, busyTimeoutMs: 20_000 });
process.stdout.write('ready\n');
// Start together with the sibling process, so that the two really contend.
await new Promise((resolve) => process.stdin.once('data', resolve));
let conflicts = 0;
for (let done = 0; done < Number(countArg); ) {
  const entry = await backend.get('counter');
  const n = entry ? Number(entry.value.toString('utf8')) : 0;
  try {
    await backend.put('counter', Buffer.from(String(n + 1)), entry?.revision ?? 0);
    process.stdout.write(`ack ${n + 1}\n`);
    done += 1;
  } catch (err) {
    if (err?.code !== 'HUSH_E_CAS_CONFLICT') throw err;
    conflicts += 1;
  }
}
process.stdout.write(`conflicts ${conflicts}\n`);
await backend.close();
process.exit(0);
