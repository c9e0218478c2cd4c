import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { type HushServer, startHushServer } from './support/hush-server.js';
import { describeWithTool } from './support/require-tool.js';
import { assertCompiledCli, HUSH_BIN, runHush } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';
import { until } from './support/until.js';

let dir: string;
let server: HushServer;
let env: Record<string, string>;
const children: ChildProcess[] = [];

beforeAll(async () => {
  assertCompiledCli();
  dir = await makeTempDir('pki-renew');
  server = await startHushServer({ dataDir: join(dir, 'data') });
  env = { HUSH_ADDR: server.url, HUSH_TOKEN: server.rootToken ?? '' };
  for (const args of [
    ['pki', 'ca', 'init'],
    ['pki', 'roles', 'put', 'web', '--domain', 'localhost', '--bare', '--max-ttl', '1h'],
  ]) {
    const run = await runHush(args, { env });
    expect(run.code, run.stderr).toBe(0);
  }
}, 60_000);
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});
afterAll(async () => {
  await server?.stop();
  if (dir) await removeTempDir(dir);
});

/** A long-running `hush ...` with the server's address and token; its output collected. */
function hushLive(args: readonly string[]) {
  const child = spawn(process.execPath, [HUSH_BIN, ...args], {
    cwd: dir,
    env: { PATH: process.env['PATH'] ?? '', HOME: dir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    out += c;
  });
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    err += c;
  });
  return { child, out: () => out, err: () => err };
}

const serialOf = (file: string) =>
  spawnSync('openssl', ['x509', '-in', file, '-noout', '-serial'], { encoding: 'utf8' }).stdout.trim();

describeWithTool('openssl', 'openssl', ['version'], 'short-lived certificates renewed by --watch', () => {
  it('hush render --watch re-issues a 15-second certificate at 2/3 of its life; cert and key always match', async () => {
    const template = join(dir, 'tls.pem.tpl');
    const out = join(dir, 'tls.pem');
    writeFileSync(
      template,
      '{{ pki "web" "localhost" "fullchain" "15s" }}{{ pki "web" "localhost" "key" "15s" }}',
    );
    const live = hushLive(['render', template, '--out', out, '--watch', '--interval', '200ms']);
    await until('the first render', () => existsSync(out), 20_000);
    const first = serialOf(out);
    const firstAt = Date.now();
    expect(first).toMatch(/^serial=[0-9A-F]+$/);
    await until('a renewed certificate in the file', () => serialOf(out) !== first, 30_000, 200);
    // Renewed near 2/3 of 15 s, not at once and not after expiry.
    expect(Date.now() - firstAt).toBeGreaterThan(5_000);
    expect(live.err()).toMatch(/certificate web:localhost:15s changed; rendered .*tls\.pem again/);
    const text = readFileSync(out, 'utf8');
    const pub = (args: string[]) => spawnSync('openssl', args, { input: text, encoding: 'utf8' }).stdout;
    expect(pub(['x509', '-noout', '-pubkey'])).toBe(pub(['pkey', '-pubout']));
    expect(live.err()).not.toMatch(/PRIVATE KEY/);
    live.child.kill('SIGTERM');
    expect(await new Promise((r) => live.child.on('exit', (code) => r(code)))).toBe(0);
  }, 60_000);

  it('hush run --watch --cert hands the command a certificate and restarts it with a renewed one', async () => {
    const script = join(dir, 'print-serial.js');
    writeFileSync(
      script,
      "const { X509Certificate } = require('node:crypto');\n" +
        "console.log('serial=' + new X509Certificate(process.env.TLS_CERT).serialNumber + ' key=' + (process.env.TLS_KEY || '').includes('PRIVATE KEY'));\n" +
        'setInterval(() => {}, 1000);\n',
    );
    const live = hushLive([
      'run',
      '--watch',
      '--interval',
      '200ms',
      '--grace',
      '1s',
      '--cert',
      'TLS=web:localhost:15s',
      '--',
      process.execPath,
      script,
    ]);
    await until('the first start', () => /serial=\w+ key=true/.test(live.out()), 20_000);
    await until(
      'a restart with a renewed certificate',
      () => (live.out().match(/serial=/g) ?? []).length >= 2,
      30_000,
      200,
    );
    const serials = [...live.out().matchAll(/serial=(\w+)/g)].map((m) => m[1]);
    expect(new Set(serials).size).toBe(serials.length);
    expect(live.err()).toMatch(/certificate web:localhost:15s changed; restarting the command/);
  }, 60_000);

  it('refuses a malformed --cert and a pki directive without a server, with coded errors', async () => {
    const bad = await runHush(['run', '--cert', 'tls=web', '--', 'true'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--cert expects NAME=ROLE:NAME/);
    writeFileSync(join(dir, 'x.tpl'), '{{ pki "web" "localhost" "cert" }}');
    const local = await runHush([
      'render',
      join(dir, 'x.tpl'),
      '--out',
      join(dir, 'x.pem'),
      '--data-dir',
      join(dir, 'none'),
    ]);
    expect(local.stderr).toMatch(/certificates come from a Hush server: set HUSH_ADDR.*\[HUSH_E_USAGE\]/);
    expect(local.code).toBe(2);
  });
});
