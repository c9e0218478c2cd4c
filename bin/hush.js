#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm ci` through the prepare script).
let cli;
try {
  cli = await import('../dist/cli/main.js');
} catch (err) {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist')) {
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
