import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { DestinationStream } from 'pino';
import { formatHostPort } from '../config/listen-address.js';
import type { ServerConfig } from '../config/server-config-schema.js';
import { hushError } from '../core/errors/index.js';
import { buildApp, type HushApp } from './app.js';
import type { ServerDeps } from './server-deps.js';

/** Where signals come from and where the listen line goes; injectable so tests need not signal the test runner. */
export interface StartServerOptions {
  readonly signals?: Pick<NodeJS.EventEmitter, 'once' | 'off'>;
  readonly out?: { write(text: string): unknown };
  readonly logDestination?: DestinationStream;
}

/** A listening server. */
export interface RunningServer {
  readonly app: HushApp;
  /** e.g. `https://127.0.0.1:8200` (the real port when 0 was asked for). */
  readonly url: string;
  /** Graceful shutdown (idempotent): stop accepting, drain, run deps.onShutdown. */
  shutdown(reason?: string): Promise<void>;
  /** Settles when shutdown has finished, whatever started it (signal or call). */
  readonly closed: Promise<void>;
}

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** Read the TLS pair once at startup; the config loader already checked the files, this catches races. */
function readTls(tls: NonNullable<ServerConfig['tls']>): { cert: Buffer; key: Buffer } {
  try {
    return { cert: readFileSync(tls.cert), key: readFileSync(tls.key) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw hushError('CANNOT_READ_TLS_CERTIFICATE_KEY', { code });
  }
}

/**
 * Listen (HTTPS when `config.tls` is set), print the URL, and shut down gracefully on SIGTERM/SIGINT: stop accepting,
 * let in-flight requests finish for up to `config.shutdownTimeoutMs`, cut what is left, then run `deps.onShutdown`
 * (close storage, flush audit sinks) in order.
 *
 * @example
 * const server = await startServer(config, { version, store, onShutdown: [() => storage.close()] });
 * await server.closed;
 */
export async function startServer(
  config: ServerConfig,
  deps: ServerDeps,
  options: StartServerOptions = {},
): Promise<RunningServer> {
  const signals = options.signals ?? process;
  const out = options.out ?? process.stdout;
  const app = buildApp(deps, config, {
    ...(config.tls ? { https: readTls(config.tls) } : {}),
    ...(options.logDestination ? { logDestination: options.logDestination } : {}),
  });
  let draining = false;
  app.addHook('onSend', (_request, reply, payload, done) => {
    // A keep-alive connection busy when shutdown began would otherwise stay open until the drain timeout.
    if (draining) reply.header('connection', 'close');
    done(null, payload);
  });
  try {
    await app.listen({ host: config.listen.host, port: config.listen.port });
  } catch (err) {
    await app.close();
    // Nothing was started: close what the deps opened (storage, audit files, HSM sessions) before failing.
    for (const hook of deps.onShutdown ?? []) await (async () => hook())().catch(() => undefined);
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    const where = formatHostPort(config.listen.host, config.listen.port);
    throw hushError('CANNOT_LISTEN_WHERE_CODE', { where, code });
  }
  const port = (app.server.address() as AddressInfo).port;
  const url = `${config.tls ? 'https' : 'http'}://${formatHostPort(config.listen.host, port)}`;

  let resolveClosed: () => void = () => {};
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });
  let stopping: Promise<void> | undefined;
  const onSignal = (signal: string) => void shutdown(signal);
  const shutdown = (reason = 'shutdown requested'): Promise<void> => {
    stopping ??= (async () => {
      for (const s of SIGNALS) signals.off(s, onSignal);
      draining = true;
      app.log.info({ reason }, 'shutting down: draining in-flight requests');
      await drain(app, config.shutdownTimeoutMs);
      for (const hook of deps.onShutdown ?? []) {
        try {
          await hook();
        } catch (err) {
          app.log.error({ err }, 'shutdown hook failed');
        }
      }
      app.log.info('shutdown complete');
      resolveClosed();
    })();
    return stopping;
  };
  for (const s of SIGNALS) signals.once(s, onSignal);
  try {
    for (const hook of deps.onStart ?? []) await hook(app.log);
  } catch (err) {
    await shutdown('a start-up hook failed');
    throw err;
  }
  out.write(`Hush server listening on ${url}\n`);
  return { app, url, shutdown, closed };
}

/** Close the app, waiting for in-flight requests; past the timeout, cut the remaining connections. */
async function drain(app: HushApp, timeoutMs: number): Promise<void> {
  const closing = app.close();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), timeoutMs);
  });
  const late = await Promise.race([closing.then(() => false), timedOut]);
  clearTimeout(timer);
  if (late) {
    app.log.warn({ timeoutMs }, 'drain timeout reached; closing remaining connections');
    app.server.closeAllConnections();
    await closing;
  }
}
