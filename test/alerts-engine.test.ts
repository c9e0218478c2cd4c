import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAlerting } from '../src/alerts/create-alerting.js';
import { createAuditLog, createJsonlFileSink } from '../src/audit/index.js';
import { alertsConfig } from './alerts-support.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe('alerting subscribed to a real audit log', () => {
  it('raises from durable records as they are appended (JSONL sink on disk)', async () => {
    const dir = await makeTempDir('alerts-audit');
    cleanups.push(() => removeTempDir(dir));
    const log = await createAuditLog({ sinks: [createJsonlFileSink({ dir })], hmacKey: Buffer.alloc(32, 7) });
    const alerting = createAlerting({ config: alertsConfig(), logger: quiet });
    const unsubscribe = log.subscribe((r) => alerting.onAuditRecord(r));
    cleanups.push(async () => {
      unsubscribe();
      await alerting.close();
      await log.close();
    });
    for (let i = 0; i < 6; i++) {
      await log.append({
        requestId: `r${i}`,
        operation: 'auth.approle.login',
        outcome: 'denied',
        errorCode: 'HUSH_E_UNAUTHENTICATED',
        sourceAddress: '203.0.113.9',
        details: { status: 401, method: 'POST', secretId: 'guess-number-1' },
      });
    }
    await log.append({
      requestId: 'ok',
      operation: 'secrets.read',
      outcome: 'allowed',
      identity: 'approle:ci',
      path: 'billing/prod/stripe-key',
    });
    const alerts = alerting.alerts();
    expect(alerts.map((a) => a.rule)).toEqual(['login-brute-force', 'production-access']);
    expect(alerts[0]).toMatchObject({ sourceAddress: '203.0.113.9', count: 5, severity: 'critical' });
    expect(JSON.stringify(alerts)).not.toContain('guess-number-1');
  });
});

describe('first-access memory file', () => {
  it('is written with mode 0600 and restores remembered pairs after a restart', async () => {
    const dir = await makeTempDir('alerts-state');
    cleanups.push(() => removeTempDir(dir));
    const stateFile = join(dir, 'alerts-state.json');
    const config = alertsConfig({ rules: { productionAccess: { stateFile } } });
    const record = (seq: number) => ({
      v: 1,
      seq,
      prev: '0'.repeat(64),
      hash: String(seq).padStart(64, '0'),
      time: new Date(Date.UTC(2026, 10, 23, 10, 0, seq)).toISOString(),
      requestId: `r${seq}`,
      identity: 'user:amy',
      tokenAccessor: 'acc1',
      authMethod: 'token',
      sourceAddress: '10.0.0.2',
      operation: 'secrets.read',
      path: 'app/prod/db/password',
      outcome: 'allowed' as const,
      errorCode: null,
    });
    const first = createAlerting({ config, logger: quiet });
    first.onAuditRecord(record(1));
    expect(first.alerts()).toHaveLength(1);
    await first.close();
    expect(statSync(stateFile).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toEqual({
      v: 1,
      pairs: ['user:amy\napp/prod/db/password'],
    });

    const second = createAlerting({ config, logger: quiet });
    second.onAuditRecord(record(2));
    expect(second.alerts()).toEqual([]);
    await second.close();
  });
});
