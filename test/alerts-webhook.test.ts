import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAlerting } from '../src/alerts/create-alerting.js';
import { createWebhookDelivery } from '../src/alerts/webhook-delivery.js';
import { verifyWebhook } from '../src/alerts/webhook-signature.js';
import { checkWebhookUrl } from '../src/alerts/webhook-target.js';
import type { Alert } from '../src/core/alerts/alert.js';
import { alertsConfig } from './alerts-support.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

const SECRET = 'webhook-test-secret-0123456789abcdef';

interface Received {
  readonly body: string;
  readonly signature: string | undefined;
}

/** A real HTTP receiver on loopback; `answer` decides each response (status, or 'hang' to never answer). */
async function receiver(answer: (n: number) => number | 'hang') {
  const received: Received[] = [];
  const hanging: ServerResponse[] = [];
  let n = 0;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        body: Buffer.concat(chunks).toString('utf8'),
        signature: req.headers['x-hush-signature'] as string | undefined,
      });
      const a = answer(++n);
      if (a === 'hang') hanging.push(res);
      else res.writeHead(a).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

const logs: { level: string; fields: object; msg: string }[] = [];
const logger = {
  info: (fields: object, msg: string) => void logs.push({ level: 'info', fields, msg }),
  warn: (fields: object, msg: string) => void logs.push({ level: 'warn', fields, msg }),
  error: (fields: object, msg: string) => void logs.push({ level: 'error', fields, msg }),
};

const alert = (i: number): Alert => ({
  id: `a${i}`,
  rule: 'denial-burst',
  severity: 'warning',
  time: '2026-11-23T10:00:00.000Z',
  identity: 'user:mallory',
  count: 10,
  message: `test alert ${i}`,
});

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  logs.length = 0;
  for (const c of cleanups.splice(0)) await c();
});

function delivery(url: string, over: Partial<Parameters<typeof createWebhookDelivery>[0]> = {}) {
  const d = createWebhookDelivery({
    url: new URL(url),
    secret: Buffer.from(SECRET),
    timeoutMs: 2000,
    maxAttempts: 3,
    queueSize: 100,
    backoffMs: 5,
    logger,
    ...over,
  });
  cleanups.push(() => d.close());
  return d;
}

describe('webhook delivery over real HTTP', () => {
  it('posts the alert as JSON with a signature the verify helper accepts (and rejects when tampered)', async () => {
    const r = await receiver(() => 200);
    cleanups.push(r.close);
    const d = delivery(r.url);
    d.enqueue(alert(1));
    await d.idle();
    expect(r.received).toHaveLength(1);
    const got = r.received[0]!;
    expect(JSON.parse(got.body)).toEqual(alert(1));
    expect(got.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhook(SECRET, got.body, got.signature)).toBe(true);
    expect(verifyWebhook(SECRET, got.body.replace('mallory', 'alice'), got.signature)).toBe(false);
    expect(verifyWebhook('another-secret-0123456789', got.body, got.signature)).toBe(false);
    const old = Math.floor(Date.now() / 1000) + 3600;
    expect(verifyWebhook(SECRET, got.body, got.signature, { nowSeconds: old })).toBe(false);
    expect(d.stats()).toMatchObject({ delivered: 1, retries: 0, failed: 0 });
  });

  it('retries a 500 and delivers once the receiver answers 200', async () => {
    const r = await receiver((n) => (n === 1 ? 500 : 200));
    cleanups.push(r.close);
    const d = delivery(r.url);
    d.enqueue(alert(1));
    await d.idle();
    expect(r.received).toHaveLength(2);
    expect(r.received[0]?.body).toBe(r.received[1]?.body);
    expect(d.stats()).toMatchObject({ delivered: 1, retries: 1, failed: 0 });
  });

  it('retries after a timeout, and gives up (logged) after maxAttempts', async () => {
    const slow = await receiver((n) => (n === 1 ? 'hang' : 204));
    cleanups.push(slow.close);
    const d = delivery(slow.url, { timeoutMs: 150 });
    d.enqueue(alert(1));
    await d.idle();
    expect(slow.received).toHaveLength(2);
    expect(d.stats()).toMatchObject({ delivered: 1, retries: 1 });

    const down = await receiver(() => 503);
    cleanups.push(down.close);
    const d2 = delivery(down.url, { maxAttempts: 3 });
    d2.enqueue(alert(2));
    await d2.idle();
    expect(down.received).toHaveLength(3);
    expect(d2.stats()).toMatchObject({ delivered: 0, failed: 1, retries: 2 });
    const giveUp = logs.find((l) => l.msg.includes('giving up'));
    expect(giveUp?.fields).toMatchObject({ problem: 'HTTP 503', attempts: 3 });
    expect(JSON.stringify(logs)).not.toContain(SECRET);
  });

  it('keeps the queue bounded: the oldest waiting alerts are dropped and counted', async () => {
    const r = await receiver((n) => (n === 1 ? 'hang' : 200));
    cleanups.push(r.close);
    const d = delivery(r.url, { queueSize: 3, timeoutMs: 300, maxAttempts: 2 });
    for (let i = 1; i <= 10; i++) d.enqueue(alert(i));
    expect(d.stats()).toMatchObject({ queued: 3, dropped: 6 });
    await d.idle();
    const ids = r.received.map((x) => (JSON.parse(x.body) as Alert).id);
    // a1 was in flight (hung, then retried); a2..a7 were dropped; the newest three survive.
    expect(ids).toEqual(['a1', 'a1', 'a8', 'a9', 'a10']);
    expect(logs.filter((l) => l.msg.includes('queue full'))).toHaveLength(6);
  });

  it('accepts HTTPS and loopback HTTP only', () => {
    expect(checkWebhookUrl('https://alerts.example/hook').protocol).toBe('https:');
    expect(checkWebhookUrl('http://localhost:9000/x').hostname).toBe('localhost');
    expect(checkWebhookUrl('http://[::1]:9000/x').hostname).toBe('[::1]');
    expect(() => checkWebhookUrl('http://alerts.example/hook')).toThrow(/not allowed/);
    expect(() => checkWebhookUrl('ftp://127.0.0.1/x')).toThrow(/not allowed/);
  });
});

describe('createAlerting', () => {
  it('fans an external raise out to the ring buffer, the log and a signed webhook; suppresses repeats', async () => {
    const dir = await makeTempDir('alerts');
    cleanups.push(() => removeTempDir(dir));
    const secretFile = join(dir, 'webhook.secret');
    writeFileSync(secretFile, `${SECRET}\n`, { mode: 0o600 });
    const r = await receiver(() => 200);
    cleanups.push(r.close);
    const alerting = createAlerting({
      config: alertsConfig({ webhooks: [{ url: r.url, secretFile }], webhookBackoffMs: 5 }),
      logger,
    });
    cleanups.push(() => alerting.close());
    const a = alerting.raise({
      rule: 'rotation-failure',
      severity: 'critical',
      path: 'app/prod/db',
      message: 'rotation failed',
    });
    expect(a).toBeDefined();
    expect(
      alerting.raise({ rule: 'rotation-failure', path: 'app/prod/db', message: 'again' }),
    ).toBeUndefined();
    await alerting.idle();
    expect(alerting.alerts()).toEqual([a]);
    expect(r.received).toHaveLength(1);
    expect(verifyWebhook(SECRET, r.received[0]!.body, r.received[0]!.signature)).toBe(true);
    expect(logs.find((l) => l.level === 'error')?.msg).toContain('security alert (rotation-failure)');
    expect(JSON.stringify(logs)).not.toContain(SECRET);
  });

  it('refuses a short secret file or a plain-HTTP remote webhook at start-up', async () => {
    const dir = await makeTempDir('alerts');
    cleanups.push(() => removeTempDir(dir));
    const secretFile = join(dir, 'short.secret');
    writeFileSync(secretFile, 'short', { mode: 0o600 });
    expect(() =>
      createAlerting({
        config: alertsConfig({ webhooks: [{ url: 'https://a.example/h', secretFile }] }),
        logger,
      }),
    ).toThrow(expect.objectContaining({ code: 'HUSH_E_CONFIG' }));
    expect(() =>
      createAlerting({
        config: alertsConfig({ webhooks: [{ url: 'http://a.example/h', secretFile: join(dir, 'missing') }] }),
        logger,
      }),
    ).toThrow(/not allowed/);
  });

  it('keeps a bounded ring of alerts', () => {
    const alerting = createAlerting({ config: alertsConfig({ bufferSize: 3 }), logger });
    for (let i = 0; i < 5; i++) alerting.raise({ rule: 'x', key: `k${i}`, message: `m${i}` });
    expect(alerting.alerts().map((a) => a.message)).toEqual(['m2', 'm3', 'm4']);
  });
});
