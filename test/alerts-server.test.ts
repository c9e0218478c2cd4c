import { writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../src/alerts/index.js';
import { api, type HushServer, startHushServer } from './support/hush-server.js';
import { assertCompiledCli } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

let dir: string;
let server: HushServer;
let root: string;
const received: { headers: IncomingMessage['headers']; body: string }[] = [];
const receiver = createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8').on('data', (c) => {
    body += c;
  });
  req.on('end', () => {
    received.push({ headers: req.headers, body });
    res.writeHead(204).end();
  });
});
const SECRET = 'webhook-secret-for-tests-0123456789';

beforeAll(async () => {
  assertCompiledCli();
  dir = await makeTempDir('alerts-server');
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const port = (receiver.address() as AddressInfo).port;
  await writeFile(join(dir, 'hook.secret'), SECRET, { mode: 0o600 });
  await writeFile(
    join(dir, 'hush.yaml'),
    [
      'alerts:',
      '  rules:',
      '    denialBurst: { threshold: 3, windowSeconds: 60 }',
      '  webhooks:',
      `    - { url: "http://127.0.0.1:${port}/hush", secretFile: "${join(dir, 'hook.secret')}" }`,
      '',
    ].join('\n'),
  );
  server = await startHushServer({ dataDir: dir, args: ['--config', join(dir, 'hush.yaml')] });
  root = server.rootToken ?? '';
}, 30_000);

afterAll(async () => {
  await server?.stop();
  await new Promise((r) => receiver.close(r));
  if (dir) await removeTempDir(dir);
});

describe('alerts in a real server', () => {
  it('a burst of denials raises one alert: in /v1/sys/alerts, in the log, and as a signed webhook', async () => {
    await api(server, root, 'PUT', '/v1/sys/policies/narrow', {
      name: 'narrow',
      rules: [{ path: 'team/dev/**', capabilities: ['read'] }],
    });
    const { token } = (await api(server, root, 'POST', '/v1/auth/token/create', { policies: ['narrow'] }))
      .json as { token: string };
    for (let i = 0; i < 5; i++)
      expect((await api(server, token, 'GET', `/v1/secrets/team/prod/s${i}`)).status).toBe(403);
    const deadline = Date.now() + 10_000;
    while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));

    const listed = (await api(server, root, 'GET', '/v1/sys/alerts?rule=denial-burst')).json as {
      alerts: { rule: string; identity?: string; count?: number }[];
    };
    expect(listed.alerts.length).toBeGreaterThanOrEqual(1);
    expect(listed.alerts[0]).toMatchObject({ rule: 'denial-burst' });
    expect((await api(server, token, 'GET', '/v1/sys/alerts')).status).toBe(403);

    expect(received.length).toBeGreaterThanOrEqual(1);
    const hook = received[0]!;
    const signature = String(hook.headers['x-hush-signature']);
    expect(verifyWebhook(SECRET, hook.body, signature)).toBe(true);
    expect(verifyWebhook('another-secret-of-enough-length', hook.body, signature)).toBe(false);
    expect(hook.body).toContain('denial-burst');
    expect(hook.body).not.toContain(token);
    expect(server.stdout() + server.stderr()).toMatch(/security alert \(denial-burst\)/);
  });
});
