import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../src/core/alerts/alert.js';
import { buildApp, type HushApp } from '../src/server/app.js';
import { as, makeApiFixture } from './api-fixture.js';
import { runHush } from './support/run-hush.js';

const _quiet = { info: () => {}, warn: () => {}, error: () => {} };

describe('GET /v1/sys/alerts over real HTTP, fed by the real audit trail', () => {
  let f: Awaited<ReturnType<typeof makeApiFixture>>;
  let app: HushApp;
  let base: string;
  // The production composition: the audit log feeds the alert rules as records are written.
  beforeAll(async () => {
    f = await makeApiFixture({ alerts: { rules: { denialBurst: { threshold: 5 } } } });
    app = buildApp(f.deps, { limits: { ...f.limits }, logLevel: 'silent' });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app?.close();
    await f?.cleanup();
  });

  const get = (path: string, token?: string) => fetch(base + path, { headers: as(token) });

  it('needs a token with sudo on sys/alerts', async () => {
    expect((await get('/v1/sys/alerts')).status).toBe(401);
    const forbidden = await get('/v1/sys/alerts', f.tokens['user:db-reader']);
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as { error: { code: string } }).error.code).toBe('HUSH_E_FORBIDDEN');
    const ok = await get('/v1/sys/alerts', f.tokens['user:admin']);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ alerts: [] });
  });

  it('raises token-misuse for a revoked token and denial-burst for repeated denials, newest first', async () => {
    const revoked = f.tokens['user:nobody']!;
    await f.identity.services.tokens.revoke({ accessor: f.accessors['user:nobody']! });
    const refused = await get('/v1/secrets/app/dev/x', revoked);
    expect(refused.status).toBe(401);
    expect(await refused.text()).not.toContain(revoked);
    for (let i = 0; i < 6; i++) {
      expect((await get('/v1/secrets/app/prod/vault/key', f.tokens['user:db-reader'])).status).toBe(403);
    }
    const shortLived = await f.identity.services.tokens.create({
      policies: [],
      identity: 'user:temp',
      displayName: 'temp',
      ttlMs: 30,
    });
    await new Promise((r) => setTimeout(r, 60));
    expect((await get('/v1/secrets/app/dev/x', shortLived.token)).status).toBe(401);
    const trail = f.records();
    expect(trail.some((r) => r.details?.['reason'] === 'token-expired')).toBe(true);
    // The revoked token's record names whose it was (from its tombstone), never the token.
    const misuse = trail.find((r) => r.details?.['reason'] === 'token-revoked');
    expect(misuse).toMatchObject({
      outcome: 'denied',
      errorCode: 'HUSH_E_UNAUTHENTICATED',
      identity: 'user:nobody',
      tokenAccessor: f.accessors['user:nobody'],
    });
    expect(JSON.stringify(trail)).not.toContain(revoked);

    const res = await get('/v1/sys/alerts', f.tokens['user:admin']);
    const { alerts } = (await res.json()) as { alerts: Alert[] };
    const rules = alerts.map((a) => a.rule);
    expect(rules).toContain('token-misuse');
    expect(alerts.find((a) => a.rule === 'token-misuse' && a.identity === 'user:nobody')?.message).toMatch(
      /^a revoked token of user:nobody was presented/,
    );
    expect(rules).toContain('denial-burst');
    expect(alerts.find((a) => a.rule === 'denial-burst' && a.identity)).toMatchObject({
      identity: 'user:db-reader',
      count: 5,
    });
    const times = alerts.map((a) => a.time);
    expect([...times].sort().reverse()).toEqual(times);
    expect(JSON.stringify(alerts)).not.toContain(revoked);

    const one = (await (
      await get('/v1/sys/alerts?limit=1&rule=token-misuse', f.tokens['user:admin'])
    ).json()) as {
      alerts: Alert[];
    };
    expect(one.alerts.map((a) => a.rule)).toEqual(['token-misuse']);
    expect((await get('/v1/sys/alerts?limit=0', f.tokens['user:admin'])).status).toBe(400);
  });

  it('hush alerts list talks to the server (table and --json); a non-sudo token exits 6', async () => {
    const env = { HUSH_ADDR: base, HUSH_TOKEN: f.tokens['user:admin']! };
    const json = await runHush(['alerts', 'list', '--json'], { env });
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as { alerts: Alert[] };
    expect(parsed.alerts.length).toBeGreaterThanOrEqual(2);
    const human = await runHush(['alerts', 'list', '--rule', 'denial-burst'], { env });
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^TIME\s+RULE\s+SEVERITY/);
    expect(human.stdout).toContain('denial-burst');
    const denied = await runHush(['alerts', 'list'], {
      env: { HUSH_ADDR: base, HUSH_TOKEN: f.tokens['user:db-reader']! },
    });
    expect(denied.code).toBe(6);
    expect(denied.stderr).toContain('HUSH_E_FORBIDDEN');
  });
});
