import { EventEmitter } from 'node:events';
import { loadServerConfig } from '../src/config/server-config.js';
import { type OpenServerOptions, openServerDeps } from '../src/server/compose/open-server-deps.js';
import { type RunningServer, startServer } from '../src/server/start-server.js';

/** A real `hush server` (openServerDeps + startServer) on 127.0.0.1, its data in `dir`. */
export interface RealServer {
  readonly server: RunningServer;
  readonly url: string;
  /** The root token printed at first start (key-file seal), if any. */
  readonly rootToken: string | undefined;
  /** What the server wrote to its terminal. */
  readonly terminal: string;
  shutdown(): Promise<void>;
}

/** Start the production composition in `dir`; `env` carries HUSH_* settings (e.g. HUSH_SEAL_KIND=shamir). */
export async function startRealServer(
  dir: string,
  env: NodeJS.ProcessEnv = {},
  options: OpenServerOptions = {},
): Promise<RealServer> {
  const { config } = loadServerConfig({
    cwd: dir,
    flags: { listen: '127.0.0.1:0', logLevel: 'silent', dataDir: dir },
    env,
  });
  let terminal = '';
  const capture = {
    write: (t: string) => {
      terminal += t;
    },
  };
  // The capture stands in for a TTY too, so the root token is shown in it rather than written to a file.
  const deps = await openServerDeps(config, capture, { tty: capture, ...options });
  const server = await startServer(config, deps, { signals: new EventEmitter(), out: { write: () => true } });
  const rootToken = /root token \(shown once, store it now\): (\S+)/.exec(terminal)?.[1];
  return { server, url: server.url, rootToken, terminal, shutdown: () => server.shutdown('test over') };
}

/** Run the CLI in-process (runCli) and collect stdout, stderr and the exit code. */
export async function cli(
  args: readonly string[],
  env: Record<string, string | undefined> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { runCli } = await import('../src/cli/main.js');
  const saved: Record<string, string | undefined> = {};
  for (const k of ['HUSH_ADDR', 'HUSH_TOKEN', 'HUSH_DATA_DIR', ...Object.keys(env)]) {
    saved[k] = process.env[k];
    delete process.env[k];
  }
  for (const [k, v] of Object.entries(env)) if (v !== undefined) process.env[k] = v;
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  process.exitCode = undefined;
  try {
    const code = await runCli(['node', 'hush', ...args]);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    process.exitCode = undefined;
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
