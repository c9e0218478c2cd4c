import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { REPO_ROOT } from './compiled.js';
import { assertCompiledCli, HUSH_BIN } from './run-hush.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';

/** A real `hush server` child process on loopback. */
export interface HushServer {
  readonly process: ChildProcess;
  /** e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** The root token of a new store (read from the 0600 file the server names); undefined when it already existed. */
  readonly rootToken: string | undefined;
  /** Everything the server wrote to stdout / stderr so far. */
  stdout(): string;
  stderr(): string;
  /** SIGTERM (graceful), SIGKILL after `graceMs`; resolves with how it exited. */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL now (a crash); resolves once the process is gone. */
  kill9(): Promise<void>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Options of {@link startHushServer}. */
export interface StartHushServerOptions {
  readonly dataDir: string;
  /** Fixed port (e.g. to restart on the same one); default a free port. */
  readonly port?: number;
  /** Extra arguments after `server` (e.g. `--config file`). */
  readonly args?: readonly string[];
  /** Extra environment (HUSH_* of the test runner are dropped). */
  readonly env?: Readonly<Record<string, string>>;
  /** Node options for the child, e.g. `['--cpu-prof']`. */
  readonly nodeArgs?: readonly string[];
  readonly timeoutMs?: number;
}

/** A port that was free a moment ago (listen on 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const LISTEN_LINE = /^Hush server listening on (https?:\/\/\S+)$/m;
const ROOT_TOKEN_LINE = /root token \(shown once, store it now\): (hush_s_[A-Za-z0-9]+)/;
/** Without a terminal (always, here: stdout and stderr are pipes) the server writes the token to a 0600 file. */
const ROOT_TOKEN_FILE_LINE = /root token \(shown once, store it now\) written to (\S+) \(mode 0600/;

/** The root token a server printed on a terminal, or wrote to the file its log names. */
export function rootTokenFrom(output: string): string | undefined {
  const shown = ROOT_TOKEN_LINE.exec(output)?.[1];
  if (shown) return shown;
  const file = ROOT_TOKEN_FILE_LINE.exec(output)?.[1];
  return file ? readFileSync(file, 'utf8').trim() : undefined;
}

/**
 * Start `node bin/hush.js server --data-dir D --listen 127.0.0.1:PORT` and wait for its listen line. Retries on
 * another free port when the chosen one was taken in between (only when no fixed port was asked for).
 */
export async function startHushServer(options: StartHushServerOptions): Promise<HushServer> {
  for (let attempt = 0; ; attempt++) {
    const port = options.port ?? (await freePort());
    try {
      return await startOnce(options, port);
    } catch (err) {
      const inUse = err instanceof Error && /EADDRINUSE/.test(err.message);
      if (!inUse || options.port !== undefined || attempt >= 4) throw err;
    }
  }
}

function startOnce(options: StartHushServerOptions, port: number): Promise<HushServer> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('HUSH_')) env[k] = v;
  Object.assign(env, options.env);
  const child = spawn(
    process.execPath,
    [
      ...(options.nodeArgs ?? []),
      HUSH_BIN,
      'server',
      '--data-dir',
      options.dataDir,
      '--listen',
      `127.0.0.1:${port}`,
      ...(options.args ?? []),
    ],
    { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    out += c;
  });
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    err += c;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  const server: Omit<HushServer, 'url' | 'rootToken'> = {
    process: child,
    port,
    dataDir: options.dataDir,
    stdout: () => out,
    stderr: () => err,
    exited,
    async stop(graceMs = 10_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`hush server did not listen within time; stdout: ${out}\nstderr: ${err}`));
    }, options.timeoutMs ?? 20_000);
    const onData = () => {
      const m = LISTEN_LINE.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      resolve({ ...server, url: m[1]!, rootToken: rootTokenFrom(out) });
    };
    child.stdout.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(
        new Error(`hush server exited (${code ?? signal}) before listening; stdout: ${out}\nstderr: ${err}`),
      );
    });
  });
}

/** `fetch` against a server with the token header set; JSON bodies are sent as application/json. */
export async function api(
  server: Pick<HushServer, 'url'>,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown; text: string }> {
  const headers: Record<string, string> = {};
  if (token) headers['x-hush-token'] = token;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(server.url + path, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

/** A file's one real server: its data directory, the running server and its root token (set in beforeAll). */
export interface SharedHushServer {
  dir: string;
  server: HushServer;
  root: string;
}

/**
 * Start one real Hush server for a test file (beforeAll: a temp data directory, the compiled CLI checked) and stop
 * it and remove the directory afterwards (afterAll). Read the fields inside tests, not at module load.
 */
export function useHushServer(
  name: string,
  options: Omit<StartHushServerOptions, 'dataDir'> = {},
): SharedHushServer {
  const shared = { dir: '', root: '' } as SharedHushServer;
  beforeAll(async () => {
    assertCompiledCli();
    shared.dir = await makeTempDir(name);
    shared.server = await startHushServer({ ...options, dataDir: shared.dir });
    shared.root = shared.server.rootToken ?? '';
  }, 30_000);
  afterAll(async () => {
    await shared.server?.stop();
    if (shared.dir) await removeTempDir(shared.dir);
  });
  return shared;
}

/**
 * Servers and data directories a test file makes per test: `start` and `tempDir` remember what they made, and after
 * each test every server is killed (kill -9, as a crash) and every directory removed.
 */
export function perTestServers() {
  const started: HushServer[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.kill9()));
    await Promise.all(dirs.splice(0).map((d) => removeTempDir(d)));
  });
  return {
    /** Start a server that is killed after the test. */
    async start(options: StartHushServerOptions): Promise<HushServer> {
      const server = await startHushServer(options);
      started.push(server);
      return server;
    },
    /** A temp data directory removed after the test (the compiled CLI is checked first). */
    async tempDir(label: string): Promise<string> {
      assertCompiledCli();
      const dir = await makeTempDir(label);
      dirs.push(dir);
      return dir;
    },
  };
}
