import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuditLog, createJsonlFileSink, verifyAuditFiles } from '../src/audit/index.js';
import { auditPlugin } from '../src/server/plugins/audit.js';
import { as, makeApiFixture } from './api-fixture.js';
import type { LoopbackRequest } from './support/loopback.js';

type Fixture = Awaited<ReturnType<typeof makeApiFixture>>;
let fx: Fixture | undefined;
afterEach(async () => {
  await fx?.cleanup();
  fx = undefined;
});

const VALUE = 'sup3r-s3cret-value-77';

describe('audit plugin: one durable record per request, before the reply', () => {
  it('records allowed, denied and failed requests once each, with who/what/where and no value or token', async () => {
    fx = await makeApiFixture();
    const admin = as(fx.tokens['user:admin']);
    const nobody = as(fx.tokens['user:nobody']);
    const sent: { id: string; status: number }[] = [];
    const send = async (opts: LoopbackRequest) => {
      const res = await fx!.http(opts);
      sent.push({ id: String(res.headers['x-request-id']), status: res.statusCode });
      return res;
    };
    await send({
      method: 'PUT',
      url: '/v1/secrets/app/prod/db/password',
      payload: { value: VALUE },
      headers: admin,
    });
    await send({ url: '/v1/secrets/app/prod/db/password', headers: admin });
    await send({ url: '/v1/secrets/app/prod/db/password', headers: nobody }); // 403 in the route
    await send({ url: '/v1/secrets/app/prod/db/password' }); // 401 in the guard
    await send({ method: 'POST', url: '/v1/sys/seal', headers: nobody }); // 403 in the guard (fixed path)
    await send({ url: '/v1/secrets/app/prod/missing', headers: admin }); // 404
    await send({ url: '/v1/nothing-here', headers: admin }); // unmatched
    await send({
      method: 'PUT',
      url: '/v1/secrets/app/prod/x',
      payload: { value: VALUE, colour: 1 },
      headers: admin,
    });
    await send({
      method: 'POST',
      url: '/v1/import/app/prod',
      payload: { format: 'dotenv', text: `IMPORTED=${VALUE}-imported\n` },
      headers: admin,
    });
    const exported = await send({ url: '/v1/export/app/prod?format=dotenv&recursive=true', headers: admin });
    expect(exported.json().text).toContain(`${VALUE}-imported`);
    const health = await fx.http({ url: '/v1/sys/health' }); // not audited
    expect(health.statusCode).toBe(200);

    // Each write also has a `requested` record written before it ran; its outcome record names it.
    const all = fx.records();
    const requested = all.filter((r) => r.outcome === 'requested');
    const records = all.filter((r) => r.outcome !== 'requested');
    expect(requested.map((r) => r.requestId)).toEqual(
      sent.filter((_, i) => [0, 8].includes(i)).map((s) => s.id),
    );
    for (const req of requested) {
      const outcome = records.find((r) => r.details?.['requestSeq'] === req.seq);
      expect(outcome?.requestId).toBe(req.requestId);
      expect(outcome!.seq).toBeGreaterThan(req.seq);
    }
    expect(records.map((r) => r.requestId)).toEqual(sent.map((s) => s.id));
    expect(records.map((r) => [r.operation, r.outcome, r.errorCode])).toEqual([
      ['secrets.write', 'allowed', null],
      ['secrets.read', 'allowed', null],
      ['secrets.read', 'denied', 'HUSH_E_FORBIDDEN'],
      ['secrets.read', 'denied', 'HUSH_E_UNAUTHENTICATED'],
      ['sys.seal', 'denied', 'HUSH_E_FORBIDDEN'],
      ['secrets.read', 'error', 'HUSH_E_NOT_FOUND'],
      ['unmatched', 'error', 'HUSH_E_NOT_FOUND'],
      ['secrets.write', 'error', 'HUSH_E_USAGE'],
      ['secrets.import', 'allowed', null],
      ['secrets.export', 'allowed', null],
    ]);
    expect(fx.accessors['user:admin']).toMatch(/^acc_/);
    expect(records[0]).toMatchObject({
      identity: 'user:admin',
      tokenAccessor: fx.accessors['user:admin'],
      authMethod: 'token',
      sourceAddress: '127.0.0.1',
      path: 'app/prod/db/password',
      details: { status: 200, method: 'PUT', version: 1, sizeBytes: VALUE.length },
    });
    expect(records[2]).toMatchObject({ identity: 'user:nobody', path: 'app/prod/db/password' });
    expect(records[3]).toMatchObject({ identity: null, tokenAccessor: null });
    expect(records[4]).toMatchObject({ identity: 'user:nobody', details: { status: 403 } });
    expect(await verifyAuditFiles(dirname(fx.auditFile))).toMatchObject({
      ok: true,
      checked: 12,
      outcomeUnknownCount: 0,
    });

    const text = readFileSync(fx.auditFile, 'utf8');
    expect(text).not.toContain(VALUE);
    for (const token of Object.values(fx.tokens)) expect(text).not.toContain(token);
  });

  it('sealed requests are audited as errors; a denial is never recorded twice', async () => {
    fx = await makeApiFixture();
    const admin = as(fx.tokens['user:admin']);
    await fx.http({ method: 'POST', url: '/v1/sys/seal', headers: admin });
    await fx.http({ url: '/v1/secrets/app/prod/k', headers: admin });
    await fx.http({ method: 'POST', url: '/v1/sys/seal', headers: as(fx.tokens['user:nobody']) });
    const records = fx.records().filter((r) => r.outcome !== 'requested');
    expect(records.map((r) => [r.operation, r.outcome, r.errorCode])).toEqual([
      ['sys.seal', 'allowed', null],
      ['secrets.read', 'error', 'HUSH_E_SEALED'],
      ['sys.seal', 'error', 'HUSH_E_SEALED'],
    ]);
  });
});

describe('audit plugin under concurrency', () => {
  it('writes one record per concurrent request, in one unbroken chain', async () => {
    fx = await makeApiFixture();
    const admin = as(fx.tokens['user:admin']);
    const replies = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        fx!.http(
          i % 3 === 0
            ? { url: '/v1/secrets/app/prod/none', headers: admin }
            : {
                method: 'PUT',
                url: `/v1/secrets/app/prod/k${i}`,
                payload: { value: `v${i}` },
                headers: admin,
              },
        ),
      ),
    );
    const ids = replies.map((r) => String(r.headers['x-request-id'])).sort();
    const all = fx.records();
    const records = all.filter((r) => r.outcome !== 'requested');
    expect(records.map((r) => r.requestId).sort()).toEqual(ids);
    expect(all.map((r) => r.seq)).toEqual(all.map((_, i) => i + 1));
    // 24 outcomes plus a `requested` record for each of the 16 writes, all paired.
    expect(await verifyAuditFiles(dirname(fx.auditFile))).toMatchObject({
      ok: true,
      checked: 40,
      outcomeUnknownCount: 0,
    });
  });
});

describe('audit plugin fails closed', () => {
  it('when no sink can write, every audited request is 503 HUSH_E_AUDIT_UNAVAILABLE and returns nothing', async () => {
    fx = await makeApiFixture({ brokenAudit: true });
    await fx.store.put('app/prod/db/password', VALUE, { actor: 'test' });
    const admin = as(fx.tokens['user:admin']);
    const read = await fx.http({ url: '/v1/secrets/app/prod/db/password', headers: admin });
    expect(read.statusCode).toBe(503);
    expect(read.json()).toEqual({
      error: {
        code: 'HUSH_E_AUDIT_UNAVAILABLE',
        message:
          'the request could not be audited, so its result is withheld; check the audit sinks, then retry',
        id: 'AUDIT_FAILED_RESULT_WITHHELD',
        hint: 'check the audit sinks, then retry',
      },
    });
    expect(read.body).not.toContain(VALUE);
    expect(read.headers['content-length']).toBe(String(Buffer.byteLength(read.body)));
    const exported = await fx.http({
      url: '/v1/export/app/prod?format=dotenv&recursive=true',
      headers: admin,
    });
    expect([exported.statusCode, exported.body.includes(VALUE)]).toEqual([503, false]);
    const denied = await fx.http({ url: '/v1/secrets/app/prod/db/password' });
    expect([denied.statusCode, denied.json().error.code]).toEqual([503, 'HUSH_E_AUDIT_UNAVAILABLE']);
    // Health is not audited, so probes still see the server.
    expect((await fx.http({ url: '/v1/sys/health' })).statusCode).toBe(200);
  });
});

describe('audit plugin and reused request ids', () => {
  it('keeps identities apart when concurrent requests share a caller-supplied X-Request-Id', async () => {
    fx = await makeApiFixture();
    const admin = { ...as(fx.tokens['user:admin']), 'x-request-id': 'same-id' };
    const nobody = { ...as(fx.tokens['user:nobody']), 'x-request-id': 'same-id' };
    await fx.store.put('app/prod/k', 'v', { actor: 'test' });
    const replies = await Promise.all([
      fx.http({ method: 'POST', url: '/v1/sys/seal', headers: nobody }),
      fx.http({ url: '/v1/secrets/app/prod/k', headers: admin }),
      fx.http({ method: 'POST', url: '/v1/sys/seal', headers: nobody }),
    ]);
    expect(replies.map((r) => r.statusCode)).toEqual([403, 200, 403]);
    const byOutcome = fx.records().map((r) => [r.outcome, r.identity, r.errorCode]);
    expect(byOutcome).toHaveLength(3);
    expect(byOutcome).toEqual(
      expect.arrayContaining([
        ['allowed', 'user:admin', null],
        ['denied', 'user:nobody', 'HUSH_E_FORBIDDEN'],
      ]),
    );
    expect(byOutcome.filter((r) => r[0] === 'denied')).toEqual([
      ['denied', 'user:nobody', 'HUSH_E_FORBIDDEN'],
      ['denied', 'user:nobody', 'HUSH_E_FORBIDDEN'],
    ]);
  });
});

describe('audit plugin and errors after the append', () => {
  it('an error while sending an audited reply becomes a 500, not an unhandled rejection', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hush-audit-send-'));
    const log = await createAuditLog({
      sinks: [createJsonlFileSink({ dir })],
      hmacKey: Buffer.alloc(32, 3),
    });
    const app = Fastify();
    const plugin = auditPlugin(log);
    app.register(plugin);
    app.get('/v1/bad-header', async (_request, reply) => {
      reply.header('x-broken', 'a\nb'); // Node refuses this header only when the reply is written
      return { ok: true };
    });
    try {
      // inject on purpose: this is about the audit plugin's hook order inside Fastify on a bare app, not API behaviour.
      const res = await app.inject({ url: '/v1/bad-header' });
      expect(res.statusCode).toBe(500);
      expect(res.body).not.toContain('"ok":true');
      // The reply that failed was audited before it was attempted; the 500 that replaced it is audited too.
      const records = readFileSync(join(dir, 'audit.log'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(records.map((r) => [r.outcome, r.details.status])).toEqual([
        ['allowed', 200],
        ['error', 500],
      ]);
    } finally {
      await app.close();
      await log.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
