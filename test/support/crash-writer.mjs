// Child process for the crash test: writes crashValue(n) at crashKey(n) for n = start, start+1, ... forever and
// prints `ack n` only after the put resolved. The parent SIGKILLs it at a random moment.
import { openSqliteBackend } from '../../dist/storage/sqlite/sqlite-backend.js';
import { crashKey, crashValue } from './crash-values.mjs';

const [dbPath, startArg] = process.argv.slice(2);
const backend = await openSqliteBackend({ path: dbPath });
process.stdout.write('ready\n');
for (let n = Number(startArg); ; n += 1) {
  await backend.put(crashKey(n), crashValue(n));
  process.stdout.write(`ack ${n}\n`);
}
