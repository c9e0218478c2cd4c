import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { as, makeApiFixture } from './api-fixture.js';

type Fixture = Awaited<ReturnType<typeof makeApiFixture>>;
let fx: Fixture;
let admin: Record<string, string>;

beforeEach(async () => {
  fx = await makeApiFixture({ bodyBytes: 2048, maxValueBytes: 512 });
  admin = as(fx.tokens['user:admin']);
  await fx.store.put('app/prod/db/password', 'hunter2-value', { actor: 'test' });
});
afterEach(async () => {
  await fx.cleanup();
});

describe('secrets API: bad input is a coded 4xx, never a stack trace', () => {
  it('rejects encoded separators and doubled slashes with 400 HUSH_E_INVALID_ADDRESS', async () => {
    for (const url of [
      '/v1/secrets/app%2fprod%2fdb%2fpassword',
      '/v1/secrets/app/prod/db%2Fpassword',
      '/v1/secrets/app/prod/db%5cpassword',
      '/v1/secrets/app//prod/db/password',
      '/v1/secrets/app/prod/db/%252e%252e',
    ]) {
      const res = await fx.http({ url, headers: admin });
      expect([url, res.statusCode, res.json().error.code]).toEqual([url, 400, 'HUSH_E_INVALID_ADDRESS']);
    }
  });

  it('413 for a body over limits.bodyBytes and for a value over limits.maxValueBytes', async () => {
    const body = await fx.http({
      method: 'PUT',
      url: '/v1/secrets/app/prod/big',
      payload: { value: 'x'.repeat(4000) },
      headers: admin,
    });
    expect([body.statusCode, body.json().error.code]).toEqual([413, 'HUSH_E_TOO_LARGE']);
    const value = await fx.http({
      method: 'PUT',
      url: '/v1/secrets/app/prod/big',
      payload: { value: 'é'.repeat(300) },
      headers: admin,
    });
    expect(value.statusCode).toBe(413);
    expect(value.json().error.message).toBe(
      'value is 600 bytes; the limit is 512; raise limits.maxValueBytes (HUSH_MAX_VALUE_BYTES) to store more',
    );
  });

  it('415 for a non-JSON content type, 400 for malformed JSON and unknown fields', async () => {
    const text = await fx.http({
      method: 'PUT',
      url: '/v1/secrets/app/prod/k',
      payload: 'value=x',
      headers: { ...admin, 'content-type': 'text/plain' },
    });
    expect([text.statusCode, text.json().error.code]).toEqual([415, 'HUSH_E_UNSUPPORTED_MEDIA']);
    const form = await fx.http({
      method: 'PUT',
      url: '/v1/secrets/app/prod/k',
      payload: 'value=x',
      headers: { ...admin, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.statusCode).toBe(415);
    const bad = await fx.http({
      method: 'PUT',
      url: '/v1/secrets/app/prod/k',
      payload: '{"value": "x",',
      headers: { ...admin, 'content-type': 'application/json' },
    });
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'HUSH_E_USAGE']);
    const unknown = await fx.http({
      method: 'PUT',
      url: '/v1/secrets/app/prod/k',
      payload: { value: 'x', colour: 'red' },
      headers: admin,
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toMatch(/body\.colour: unknown field/);
    const wrongType = await fx.http({
      method: 'PUT',
      url: '/v1/secrets/app/prod/k',
      payload: { value: 5 },
      headers: admin,
    });
    expect(wrongType.statusCode).toBe(400);
    const badVersion = await fx.http({
      url: '/v1/secrets/app/prod/db/password?version=0',
      headers: admin,
    });
    expect(badVersion.statusCode).toBe(400);
    const badVersions = await fx.http({
      method: 'DELETE',
      url: '/v1/secrets/app/prod/db/password?versions=1,x',
      headers: admin,
    });
    expect([badVersions.statusCode, badVersions.json().error.code]).toEqual([400, 'HUSH_E_USAGE']);
  });

  it('401 without a token, 403 without the capability', async () => {
    const anon = await fx.http({ url: '/v1/secrets/app/prod/db/password' });
    expect([anon.statusCode, anon.json().error.code]).toEqual([401, 'HUSH_E_UNAUTHENTICATED']);
    const other = await fx.http({
      url: '/v1/secrets/app/prod/db/password',
      headers: as(fx.tokens['user:nobody']),
    });
    expect([other.statusCode, other.json().error.code]).toEqual([403, 'HUSH_E_FORBIDDEN']);
    expect(other.body).not.toContain('hunter2');
  });

  it('503 HUSH_E_SEALED while sealed, for every secrets route', async () => {
    const seal = await fx.http({ method: 'POST', url: '/v1/sys/seal', headers: admin });
    expect(seal.statusCode).toBe(200);
    for (const [method, url] of [
      ['GET', '/v1/secrets/app/prod/db/password'],
      ['GET', '/v1/list/app'],
      ['POST', '/v1/move'],
      ['POST', '/v1/keys/app/prod/rotate'],
    ] as const) {
      const res = await fx.http({ method, url, headers: admin });
      expect([res.statusCode, res.json().error.code]).toEqual([503, 'HUSH_E_SEALED']);
    }
  });
});
