import { loadServerConfig } from '../config/server-config.js';
import type { ServerConfig } from '../config/server-config-schema.js';
import type { ServerFlags } from '../config/server-flags.js';
import type { ServerDeps } from './server-deps.js';
import { type StartServerOptions, startServer } from './start-server.js';

/** Inputs of `hush server`: parsed flags, the environment, and how to build the store etc. from the config. */
export interface RunServerInput {
  readonly flags: ServerFlags;
  readonly env: NodeJS.ProcessEnv;
  /** Open storage, seal, store, auth and audit for this config; put their close() calls in `onShutdown`. */
  readonly makeDeps: (config: ServerConfig) => Promise<ServerDeps>;
  readonly stderr?: { write(text: string): unknown };
  readonly options?: StartServerOptions;
}

/**
 * The whole `hush server` command: load and validate the config (warnings to stderr), build the deps, listen, and
 * resolve once a signal-triggered graceful shutdown has finished. The CLI command only parses flags and calls this.
 *
 * @example
 * await runServer({ flags: cmd.opts(), env: process.env, makeDeps: async (config) => openEverything(config) });
 */
export async function runServer(input: RunServerInput): Promise<void> {
  const stderr = input.stderr ?? process.stderr;
  const { config, warnings } = loadServerConfig({
    ...(input.flags.config !== undefined ? { configFile: input.flags.config } : {}),
    env: input.env,
    flags: input.flags,
  });
  for (const warning of warnings) stderr.write(`hush: warning: ${warning}\n`);
  const deps = await input.makeDeps(config);
  const server = await startServer(config, deps, input.options);
  await server.closed;
}
