import { execFileSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadServerConfig } from '../src/config/server-config.js';
import type { ServerFlags } from '../src/config/server-flags.js';
import { runServer } from '../src/server/run-server.js';
import type { RunningServer } from '../src/server/start-server.js';
import { startServer } from '../src/server/start-server.js';
import { makeApiFixture } from './api-fixture.js';
import { captureLogs } from './support/capture-logs.js';
import { until } from './support/until.js';

interface Reply {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

/** One real HTTP(S) request. */
function request(url: string, options: https.RequestOptions = {}): Promise<Reply> {
  const lib = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(url, { agent: false, ...options }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A temp dir removed after the file's tests. */
function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

function config(flags: ServerFlags, env: NodeJS.ProcessEnv = {}) {
  return loadServerConfig({ cwd: tempDir('hush-start-'), flags, env }).config;
}

// The real seal control (`hush server`'s composition over a SQLite file): initialised and unsealed.
let fx: Awaited<ReturnType<typeof makeApiFixture>>;
beforeAll(async () => {
  fx = await makeApiFixture();
});
afterAll(async () => fx?.cleanup());

/** The warning logged when shutdown cuts connections still open at the drain timeout (asserted both ways below). */
const DRAIN_CUT = 'drain timeout reached';

const running: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.shutdown('test end')));
});

async function start(...args: Parameters<typeof startServer>): Promise<RunningServer> {
  const server = await startServer(...args);
  running.push(server);
  return server;
}

describe('startServer over TLS', () => {
  it('serves HTTPS with a real self-signed certificate and refuses plain HTTP', async () => {
    const dir = tempDir('hush-tls-');
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    const out: string[] = [];
    const server = await start(
      config({ listen: '127.0.0.1:0', tlsCert: cert, tlsKey: key }),
      { version: '1.0.0', store: fx.deps.store },
      {
        signals: new EventEmitter(),
        out: { write: (t: string) => out.push(t) },
        logDestination: captureLogs().stream,
      },
    );
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(out).toEqual([`Hush server listening on ${server.url}\n`]);
    const res = await request(`${server.url}/v1/sys/health`, { ca: readFileSync(cert) });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ initialized: true, sealed: false, version: '1.0.0' });
    // HSTS over TLS (issue 12 item 9): browsers must not fall back to plain HTTP for this host.
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000');
    // Without trusting the self-signed CA, verification must fail (the certificate really is checked).
    await expect(request(`${server.url}/v1/sys/health`)).rejects.toThrow(/self.signed/i);
    await expect(request(`${server.url.replace('https:', 'http:')}/v1/sys/health`)).rejects.toThrow();
  });
});

describe('graceful shutdown', () => {
  it('on SIGTERM: finishes the in-flight request, then stops accepting and runs the close hooks in order', async () => {
    const events: string[] = [];
    let started: () => void = () => {};
    const inFlight = new Promise<void>((resolve) => {
      started = resolve;
    });
    const slow: FastifyPluginAsync = async (app) => {
      app.get('/v1/test/slow', async () => {
        started();
        await new Promise((r) => setTimeout(r, 300));
        events.push('handler done');
        return { done: true };
      });
    };
    const signals = new EventEmitter();
    const logs = captureLogs();
    const server = await start(
      config({ listen: '127.0.0.1:0' }),
      {
        version: '1',
        store: fx.deps.store,
        routes: [slow],
        onShutdown: [() => void events.push('storage closed'), async () => void events.push('audit flushed')],
      },
      { signals, out: { write: () => true }, logDestination: logs.stream },
    );
    // A keep-alive client, as real ones are: its idle connection must not hold shutdown open.
    const agent = new http.Agent({ keepAlive: true });
    const pending = request(`${server.url}/v1/test/slow`, { agent });
    await inFlight;
    signals.emit('SIGTERM', 'SIGTERM');
    const res = await pending;
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ done: true });
    // Not speed but how it ended: an idle keep-alive socket left open holds shutdown until the drain timeout (10 s by
    // default) cuts it, and the shutdown still completes, so the test asserts the cut never happened.
    await server.closed;
    expect(logs.text()).not.toContain(DRAIN_CUT);
    agent.destroy();
    expect(events).toEqual(['handler done', 'storage closed', 'audit flushed']);
    await expect(request(`${server.url}/v1/sys/health`)).rejects.toThrow(/ECONNREFUSED/);
    expect(signals.listenerCount('SIGTERM')).toBe(0);
    expect(signals.listenerCount('SIGINT')).toBe(0);
  });

  it('cuts requests still running after shutdownTimeoutMs and still closes storage', async () => {
    const events: string[] = [];
    let started: () => void = () => {};
    const inFlight = new Promise<void>((resolve) => {
      started = resolve;
    });
    let release: () => void = () => {};
    const stuckUntil = new Promise<void>((resolve) => {
      release = resolve;
    });
    const stuck: FastifyPluginAsync = async (app) => {
      app.get('/v1/test/stuck', async () => {
        started();
        // Never finishes by itself (released after the test): only the shutdown timeout can end the request.
        await stuckUntil;
        return { late: true };
      });
    };
    const logs = captureLogs();
    const server = await start(
      config({ listen: '127.0.0.1:0' }, { HUSH_SHUTDOWN_TIMEOUT_MS: '200' }),
      {
        version: '1',
        store: fx.deps.store,
        routes: [stuck],
        onShutdown: [() => void events.push('closed')],
      },
      { signals: new EventEmitter(), out: { write: () => true }, logDestination: logs.stream },
    );
    const pending = request(`${server.url}/v1/test/stuck`);
    await inFlight;
    // Liveness: without the cut the stuck handler would hold shutdown open until the test times out.
    await server.shutdown();
    await expect(pending).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(events).toEqual(['closed']);
    // Cut by the configured timeout, not the 10 s default (which would also end it, only later).
    const cut = logs
      .text()
      .split('\n')
      .filter((l) => l.includes(DRAIN_CUT))
      .map((l) => JSON.parse(l) as { timeoutMs?: number });
    expect(cut.map((l) => l.timeoutMs)).toEqual([200]);
    release();
  });

  it('reports a busy port as one coded line', async () => {
    const first = await start(
      config({ listen: '127.0.0.1:0' }),
      { version: '1', store: fx.deps.store },
      { signals: new EventEmitter(), out: { write: () => true }, logDestination: captureLogs().stream },
    );
    const port = Number(new URL(first.url).port);
    await expect(
      startServer(
        config({ listen: `127.0.0.1:${port}` }),
        { version: '1', store: fx.deps.store },
        { signals: new EventEmitter(), out: { write: () => true }, logDestination: captureLogs().stream },
      ),
    ).rejects.toMatchObject({ code: 'HUSH_E_CONFIG', message: expect.stringMatching(/EADDRINUSE/) });
  });
});

describe('runServer', () => {
  it('loads config (warnings to stderr), builds deps from it, serves, and returns after SIGINT', async () => {
    const sealed = await makeApiFixture();
    await sealed.store.seal();
    const err: string[] = [];
    const out: string[] = [];
    const signals = new EventEmitter();
    const dataDir = tempDir('hush-run-');
    let seen: { dataDir: string; frozen: boolean } | undefined;
    const done = runServer({
      flags: { listen: '127.0.0.1:0', dataDir },
      env: { HUSH_LOG_LEVEL: 'silent', HUSH_TLS_CRT: 'x' },
      makeDeps: async (cfg) => {
        seen = { dataDir: cfg.dataDir, frozen: Object.isFrozen(cfg) };
        return { version: '3', store: sealed.deps.store };
      },
      stderr: { write: (t: string) => err.push(t) },
      options: { signals, out: { write: (t: string) => out.push(t) } },
    });
    await until('the listen line', () => out.length > 0);
    const url = /listening on (\S+)/.exec(out[0] ?? '')?.[1] ?? '';
    expect((await request(`${url}/v1/sys/health`)).status).toBe(503);
    expect(seen).toEqual({ dataDir, frozen: true });
    expect(err).toEqual([
      'hush: warning: environment variable HUSH_TLS_CRT is not a Hush server setting and is ignored; did you mean HUSH_TLS_CERT?\n',
      expect.stringMatching(/^hush: warning: seal kind key-file keeps the unseal key on disk/),
    ]);
    signals.emit('SIGINT', 'SIGINT');
    await done;
    await expect(request(`${url}/v1/sys/health`)).rejects.toThrow(/ECONNREFUSED/);
    await sealed.cleanup();
  });
});
