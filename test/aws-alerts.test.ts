import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, describe, expect, it } from 'vitest';
import { issueKey, putPolicy, sdkOptions } from './aws-support.js';
import { api, useHushServer } from './support/hush-server.js';

// The alert rules read the audit trail, where AWS calls are recorded under the native operations: the same rules
// fire for them, with low thresholds here so a handful of calls is enough.
const configDir = mkdtempSync(join(tmpdir(), 'hush-aws-alerts-'));
const config = join(configDir, 'hush.yaml');
writeFileSync(
  config,
  [
    'alerts:',
    '  rules:',
    '    denialBurst: { threshold: 3, windowSeconds: 60 }',
    '    bulkRead: { floor: 1, absoluteCap: 3, windowSeconds: 300 }',
    '',
  ].join('\n'),
  { mode: 0o600 },
);
const fx = useHushServer('aws-alerts', { args: ['--config', config] });
afterAll(() => rmSync(configDir, { recursive: true, force: true }));

interface Alert {
  readonly rule: string;
  readonly identity?: string;
  readonly message: string;
}

async function alerts(rule: string): Promise<Alert[]> {
  const res = await api(fx.server, fx.root, 'GET', `/v1/sys/alerts?rule=${rule}`);
  expect(res.status, res.text).toBe(200);
  return (res.json as { alerts: Alert[] }).alerts;
}

describe('alert rules see AWS calls', () => {
  it('bulk reads through GetSecretValue, first production access, and a burst of bad signatures raise alerts', async () => {
    await putPolicy(fx, 'reader', [{ path: 'shop/**', capabilities: ['read'] }]);
    for (const n of [1, 2, 3, 4]) {
      expect(
        (await api(fx.server, fx.root, 'PUT', `/v1/secrets/shop/prod/s${n}`, { value: `v${n}` })).status,
      ).toBe(200);
    }
    const key = await issueKey(fx, ['reader']);
    const sm = new SecretsManagerClient(sdkOptions(fx, key));
    for (const n of [1, 2, 3, 4]) await sm.send(new GetSecretValueCommand({ SecretId: `shop/prod/s${n}` }));
    await expect.poll(async () => (await alerts('bulk-read')).length, { timeout: 10_000 }).toBeGreaterThan(0);
    await expect
      .poll(async () => (await alerts('production-access')).length, { timeout: 10_000 })
      .toBeGreaterThan(0);

    const forged = new SecretsManagerClient(sdkOptions(fx, { ...key, secretAccessKey: 'not-the-secret' }));
    for (const _ of [1, 2, 3, 4]) {
      await expect(forged.send(new GetSecretValueCommand({ SecretId: 'shop/prod/s1' }))).rejects.toThrow();
    }
    await expect
      .poll(async () => (await alerts('denial-burst')).length, { timeout: 10_000 })
      .toBeGreaterThan(0);
  });
});
