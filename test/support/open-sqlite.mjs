// Child process: open the SQLite backend at argv[2], write one key, and print the outcome as one JSON line.
// Used to test permission errors as an unprivileged user even when the test runner is root.
import { openSqliteBackend } from '../../dist/storage/sqlite/sqlite-backend.js';

try {
  const backend = await openSqliteBackend({ path: process.argv[2] });
  await backend.put('k', Buffer.from('v'));
  await backend.close();
  process.stdout.write(`${JSON.stringify({ ok: true })}\n`);
} catch (err) {
  const hush = err?.name === 'HushError';
  process.stdout.write(
    `${JSON.stringify({ ok: false, hush, code: err?.code, message: String(err?.message) })}\n`,
  );
}
