import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertDraft } from '../src/core/alerts/alert.js';
import { createRuleSet } from '../src/core/alerts/rule-set.js';
import type { AuditRecord } from '../src/core/audit/audit-record.js';
import { alertsConfig, auditStream } from './alerts-support.js';
import { api, type HushServer, startHushServer } from './support/hush-server.js';
import { assertCompiledCli } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';
import { until } from './support/until.js';

const decrypts = (identity: string, key: string, items: number) => ({
  operation: 'transit.decrypt',
  identity,
  path: `transit/keys/${key}`,
  details: { key, items },
});

describe('decrypt burst (rule replay)', () => {
  const config = alertsConfig({ rules: { decryptBurst: { threshold: 10, windowSeconds: 60 } } });
  const replay = (records: readonly AuditRecord[]): AlertDraft[] => {
    const rules = createRuleSet(config.rules);
    return records.flatMap((r) => rules.evaluate(r));
  };

  it('alerts when one identity decrypts more than the threshold on one key within the window, batches counted by item', () => {
    const rec = auditStream();
    const records = [
      rec(0, decrypts('approle:app', 'payroll', 4)),
      rec(5, decrypts('approle:app', 'payroll', 6)),
    ];
    expect(replay(records)).toEqual([]);
    records.push(rec(10, decrypts('approle:app', 'payroll', 1)));
    const alerts = replay(records);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      rule: 'decrypt-burst',
      identity: 'approle:app',
      path: 'transit/keys/payroll',
      severity: 'warning',
    });
    expect(alerts[0]?.message).toBe(
      'approle:app decrypted more than 10 items with transit key payroll within 60 s',
    );
    // More in the cool-down (900 s) stays one alert; after it, a new burst alerts again.
    records.push(rec(20, decrypts('approle:app', 'payroll', 50)));
    expect(replay(records)).toHaveLength(1);
    records.push(rec(1000, decrypts('approle:app', 'payroll', 11)));
    expect(replay(records)).toHaveLength(2);
  });

  it('stays quiet for decrypts spread wider than the window, split across keys or identities, denied, or encrypts', () => {
    const rec = auditStream();
    const spread = Array.from({ length: 30 }, (_, i) => rec(i * 30, decrypts('approle:app', 'payroll', 3)));
    expect(replay(spread)).toEqual([]);
    const split = [
      rec(0, decrypts('approle:app', 'payroll', 10)),
      rec(1, decrypts('approle:app', 'orders', 10)),
      rec(2, decrypts('approle:other', 'payroll', 10)),
      rec(3, { ...decrypts('approle:app', 'payroll', 10), outcome: 'denied', errorCode: 'HUSH_E_FORBIDDEN' }),
      rec(4, { ...decrypts('approle:app', 'payroll', 10), operation: 'transit.encrypt' }),
    ];
    expect(replay(split)).toEqual([]);
    const off = alertsConfig({ rules: { decryptBurst: { enabled: false, threshold: 1 } } });
    const rules = createRuleSet(off.rules);
    expect(rules.evaluate(rec(10, decrypts('approle:app', 'payroll', 100)))).toEqual([]);
  });
});

describe('decrypt burst in a real server', () => {
  let dir = '';
  let server: HushServer;
  let root = '';
  beforeAll(async () => {
    assertCompiledCli();
    dir = await makeTempDir('alerts-decrypt-burst');
    await writeFile(
      join(dir, 'hush.yaml'),
      'alerts:\n  rules:\n    decryptBurst: { threshold: 5, windowSeconds: 600 }\n',
    );
    server = await startHushServer({ dataDir: dir, args: ['--config', join(dir, 'hush.yaml')] });
    root = server.rootToken ?? '';
  }, 30_000);
  afterAll(async () => {
    await server?.stop();
    if (dir) await removeTempDir(dir);
  });

  it('an application token decrypting a batch past the threshold raises decrypt-burst in /v1/sys/alerts', async () => {
    expect(
      (await api(server, root, 'POST', '/v1/transit/keys/payroll', { type: 'aes256-gcm96' })).status,
    ).toBe(201);
    await api(server, root, 'PUT', '/v1/sys/policies/payroll-app', {
      name: 'payroll-app',
      rules: [{ path: 'transit/keys/payroll', capabilities: ['encrypt', 'decrypt'] }],
    });
    const { token } = (
      await api(server, root, 'POST', '/v1/auth/token/create', { policies: ['payroll-app'] })
    ).json as { token: string };
    const enc = (await api(server, token, 'POST', '/v1/transit/encrypt/payroll', {
      plaintext: Buffer.from('salary').toString('base64'),
    })) as { status: number; json: { ciphertext: string } };
    expect(enc.status).toBe(200);
    const batch = (n: number) => ({
      batch: Array.from({ length: n }, () => ({ ciphertext: enc.json.ciphertext })),
    });
    expect((await api(server, token, 'POST', '/v1/transit/decrypt/payroll', batch(3))).status).toBe(200);
    const quiet = (await api(server, root, 'GET', '/v1/sys/alerts?rule=decrypt-burst')).json as {
      alerts: unknown[];
    };
    expect(quiet.alerts).toEqual([]);
    expect((await api(server, token, 'POST', '/v1/transit/decrypt/payroll', batch(3))).status).toBe(200);
    let alerts: { rule: string; path?: string; message: string }[] = [];
    await until('the decrypt-burst alert', async () => {
      alerts = (
        (await api(server, root, 'GET', '/v1/sys/alerts?rule=decrypt-burst')).json as {
          alerts: typeof alerts;
        }
      ).alerts;
      return alerts.length > 0;
    });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ rule: 'decrypt-burst', path: 'transit/keys/payroll' });
    expect(alerts[0]?.message).toMatch(/decrypted more than 5 items with transit key payroll within 600 s/);
    expect(JSON.stringify(alerts)).not.toContain('salary');
  });
});
