#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm ci` through the prepare script).
let cli;
try {
  cli = await import('../dist/cli/main.js');
} catch (err) {
  const message = String(err?.message);
  // A package the CLI imports is absent (an install that skipped dependencies): say which, not "not built".
  const missing = err?.code === 'ERR_MODULE_NOT_FOUND' && /Cannot find package '([^']+)'/.exec(message);
  if (missing) {
    process.stderr.write(
      `hush: the package ${missing[1]} is missing; reinstall Hush (npm ci, or npm i -g)\n`,
    );
    process.exit(70);
  }
  if (err?.code === 'ERR_MODULE_NOT_FOUND' && message.includes('dist')) {
    process.stderr.write('hush: the CLI is not built; run `npm run build` (npm ci does this for you)\n');
    process.exit(70);
  }
  throw err;
}
// A reader that stops early (`hush list | head -1`) closes the pipe: end as SIGPIPE ends other tools (128 + 13),
// quietly, instead of an unhandled 'error' event and its stack trace.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(141);
  throw err;
});
process.exitCode = await cli.runCli(process.argv);
