import type { Command } from 'commander';
import { addServerFlags, type ServerFlags } from '../../config/server-flags.js';

/** `hush server`: serve the store over HTTP (config file + HUSH_* env + flags; see docs/server.md). */
export function registerServer(program: Command): void {
  addServerFlags(program.command('server'))
    .description('run the Hush server (default: 127.0.0.1:8200, SQLite and a key-file seal in ./data)')
    .action(async (flags: ServerFlags) => {
      // Loaded on use: `hush scan` in a pre-commit hook should not pay for fastify and the server's modules.
      const { runServer } = await import('../../server/run-server.js');
      const { openServerDeps } = await import('../../server/compose/open-server-deps.js');
      await runServer({
        flags,
        env: process.env,
        // The root token is shown only on a terminal a person reads: stdout may be a log pipeline (systemd, Docker).
        makeDeps: (config) =>
          openServerDeps(config, process.stdout, {
            // Listen first: a busy port must fail before a new store is initialised (its root token lost).
            startUpOnListen: true,
            // Both ends a terminal: an interactive session. A pseudo-terminal with no keyboard behind it (`docker run
            // -t`, a Kubernetes `tty: true` container) is recorded by the log collector all the same.
            ...(process.stderr.isTTY && process.stdin.isTTY ? { tty: process.stderr } : {}),
          }),
      });
    });
}
