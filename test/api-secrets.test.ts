import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { as, makeApiFixture } from './api-fixture.js';

type Fixture = Awaited<ReturnType<typeof makeApiFixture>>;
let fx: Fixture;
let admin: Record<string, string>;

beforeEach(async () => {
  fx = await makeApiFixture();
  admin = as(fx.tokens['user:admin']);
});
afterEach(async () => {
  await fx.cleanup();
});

const put = (url: string, payload: object, headers = admin) =>
  fx.http({ method: 'PUT', url: `/v1/secrets/${url}`, payload, headers });

describe('secrets API: versions, CAS, metadata, lifecycle', () => {
  it('writes, reads latest and ?version=, and keeps JSON objects as objects', async () => {
    const w1 = await put('app/prod/db/password', {
      value: 'pw-one',
      description: 'db',
      tags: { team: 'core' },
    });
    expect(w1.statusCode).toBe(200);
    expect(w1.json()).toMatchObject({ path: 'app/prod/db/password', version: 1 });
    const w2 = await fx.http({
      method: 'POST',
      url: '/v1/secrets/app/prod/db/password',
      payload: { value: { user: 'app', password: 'pw-two' } },
      headers: admin,
    });
    expect(w2.json().version).toBe(2);
    const latest = await fx.http({ url: '/v1/secrets/app/prod/db/password', headers: admin });
    expect(latest.statusCode).toBe(200);
    expect(latest.json()).toMatchObject({
      version: 2,
      value: { user: 'app', password: 'pw-two' },
      createdBy: 'user:admin',
    });
    const v1 = await fx.http({ url: '/v1/secrets/app/prod/db/password?version=1', headers: admin });
    expect(v1.json()).toMatchObject({
      version: 1,
      value: 'pw-one',
      description: 'db',
      tags: { team: 'core' },
    });
  });

  it('check-and-set: cas 0 creates only, a stale cas is 409 and changes nothing', async () => {
    expect((await put('app/prod/k', { value: 'a', cas: 0 })).statusCode).toBe(200);
    const again = await put('app/prod/k', { value: 'b', cas: 0 });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('HUSH_E_CAS_CONFLICT');
    expect((await put('app/prod/k', { value: 'b', cas: 1 })).json().version).toBe(2);
    const stale = await put('app/prod/k', { value: 'c', cas: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.message).toMatch(/expected version 1, found version 2/);
    const read = await fx.http({ url: '/v1/secrets/app/prod/k', headers: admin });
    expect(read.json()).toMatchObject({ version: 2, value: 'b' });
  });

  it('metadata: GET lists versions without values, PATCH changes description/tags/expiry', async () => {
    await put('app/prod/k', { value: 'secret-a' });
    await put('app/prod/k', { value: 'secret-b' });
    const patch = await fx.http({
      method: 'PATCH',
      url: '/v1/metadata/app/prod/k',
      payload: {
        description: 'rotated monthly',
        tags: { owner: 'ops' },
        expiresAt: '2030-01-01T00:00:00.000Z',
      },
      headers: admin,
    });
    expect(patch.statusCode).toBe(200);
    const meta = await fx.http({ url: '/v1/metadata/app/prod/k', headers: admin });
    expect(meta.statusCode).toBe(200);
    expect(meta.json()).toMatchObject({
      current: 2,
      description: 'rotated monthly',
      tags: { owner: 'ops' },
      expiresAt: '2030-01-01T00:00:00.000Z',
    });
    expect(meta.json().versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    expect(meta.body).not.toContain('secret-a');
  });

  it('delete (soft, ?versions=), undelete, destroy (410), rollback', async () => {
    for (const value of ['v1', 'v2', 'v3']) await put('app/prod/k', { value });
    const del = await fx.http({
      method: 'DELETE',
      url: '/v1/secrets/app/prod/k?versions=1,3',
      headers: admin,
    });
    expect(del.statusCode).toBe(200);
    expect(del.json().changed).toEqual([1, 3]);
    const gone = await fx.http({ url: '/v1/secrets/app/prod/k', headers: admin });
    expect([gone.statusCode, gone.json().error.code]).toEqual([404, 'HUSH_E_DELETED']);
    const undel = await fx.http({
      method: 'POST',
      url: '/v1/secrets-undelete/app/prod/k',
      payload: { versions: [3] },
      headers: admin,
    });
    expect(undel.json().changed).toEqual([3]);
    expect((await fx.http({ url: '/v1/secrets/app/prod/k', headers: admin })).json().value).toBe('v3');
    const destroy = await fx.http({
      method: 'POST',
      url: '/v1/secrets-destroy/app/prod/k',
      payload: { versions: [2] },
      headers: admin,
    });
    expect(destroy.json().changed).toEqual([2]);
    const shredded = await fx.http({ url: '/v1/secrets/app/prod/k?version=2', headers: admin });
    expect([shredded.statusCode, shredded.json().error.code]).toEqual([410, 'HUSH_E_DESTROYED']);
    const undelDestroyed = await fx.http({
      method: 'POST',
      url: '/v1/secrets-undelete/app/prod/k',
      payload: { versions: [1] },
      headers: admin,
    });
    expect(undelDestroyed.json().changed).toEqual([1]);
    const rollback = await fx.http({
      method: 'POST',
      url: '/v1/secrets-rollback/app/prod/k',
      payload: { version: 1 },
      headers: admin,
    });
    expect(rollback.json().version).toBe(4);
    expect((await fx.http({ url: '/v1/secrets/app/prod/k', headers: admin })).json()).toMatchObject({
      version: 4,
      value: 'v1',
    });
    const missing = await fx.http({ url: '/v1/secrets/app/prod/nope', headers: admin });
    expect([missing.statusCode, missing.json().error.code]).toEqual([404, 'HUSH_E_NOT_FOUND']);
  });

  it('a caller with only create can create but not overwrite (403, even via cas)', async () => {
    const creator = as(fx.tokens['user:creator']);
    expect((await put('app/prod/new', { value: 'x' }, creator)).statusCode).toBe(200);
    const over = await put('app/prod/new', { value: 'y' }, creator);
    expect([over.statusCode, over.json().error.code]).toEqual([403, 'HUSH_E_FORBIDDEN']);
    const viaCas = await put('app/prod/new', { value: 'y', cas: 1 }, creator);
    expect(viaCas.statusCode).toBe(403);
    expect((await fx.http({ url: '/v1/secrets/app/prod/new', headers: creator })).json().value).toBe('x');
  });
});

describe('secrets API: list, move, import/export, keys', () => {
  it('lists only what the caller may read (read on app/prod/db/*)', async () => {
    for (const p of [
      'app/prod/db/password',
      'app/prod/db/user',
      'app/prod/api/key',
      'app/prod/top',
      'app/dev/x',
    ]) {
      await put(p, { value: 'v' });
    }
    const reader = as(fx.tokens['user:db-reader']);
    const full = await fx.http({ url: '/v1/list/app/prod', headers: admin });
    expect(full.json().entries.map((e: { name: string }) => e.name)).toEqual(['api/', 'db/', 'top']);
    const oneLevel = await fx.http({ url: '/v1/list/app/prod', headers: reader });
    expect(oneLevel.statusCode).toBe(200);
    expect(oneLevel.json().entries).toEqual([{ name: 'db/', path: 'app/prod/db/', kind: 'folder' }]);
    const rec = await fx.http({ url: '/v1/list/app/prod?recursive=true', headers: reader });
    expect(rec.json().entries.map((e: { path: string }) => e.path)).toEqual([
      'app/prod/db/password',
      'app/prod/db/user',
    ]);
    const root = await fx.http({ url: '/v1/list', headers: reader });
    expect(root.json().entries.map((e: { name: string }) => e.name)).toEqual(['app/']);
    const nobody = await fx.http({
      url: '/v1/list/app?recursive=1',
      headers: as(fx.tokens['user:nobody']),
    });
    expect(nobody.json().entries).toEqual([]);
    const paged = await fx.http({ url: '/v1/list/app/prod?recursive=true&limit=2', headers: admin });
    expect(paged.json().entries).toHaveLength(2);
    const next = await fx.http({
      url: `/v1/list/app/prod?recursive=true&limit=2&cursor=${encodeURIComponent(paged.json().cursor)}`,
      headers: admin,
    });
    expect(next.json().entries.map((e: { name: string }) => e.name)).toEqual(['db/user', 'top']);
  });

  it('moves a subtree; refuses an existing destination without overwrite', async () => {
    await put('app/prod/db/password', { value: 'pw' });
    await put('app/prod/cache/password', { value: 'other' });
    const move = (payload: object) => fx.http({ method: 'POST', url: '/v1/move', payload, headers: admin });
    const clash = await move({ from: 'app/prod/db', to: 'app/prod/cache' });
    expect([clash.statusCode, clash.json().error.code]).toEqual([409, 'HUSH_E_ALREADY_EXISTS']);
    const ok = await move({ from: 'app/prod/db', to: 'app/stage/db' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().moved).toEqual([{ from: 'app/prod/db/password', to: 'app/stage/db/password' }]);
    expect((await fx.http({ url: '/v1/secrets/app/stage/db/password', headers: admin })).json().value).toBe(
      'pw',
    );
    const denied = await fx.http({
      method: 'POST',
      url: '/v1/move',
      payload: { from: 'app/stage/db', to: 'app/prod/db' },
      headers: as(fx.tokens['user:creator']),
    });
    expect(denied.statusCode).toBe(403);
  });

  it('imports a .env document and exports it back', async () => {
    const imp = await fx.http({
      method: 'POST',
      url: '/v1/import/app/prod',
      payload: { format: 'dotenv', text: 'A=1\nB="two words"\nbad line\n' },
      headers: admin,
    });
    expect(imp.statusCode).toBe(200);
    expect(imp.json().counts).toMatchObject({ created: 2 });
    expect(imp.json().errors).toHaveLength(1);
    const exp = await fx.http({ url: '/v1/export/app/prod?format=json', headers: admin });
    expect(exp.statusCode).toBe(200);
    expect(JSON.parse(exp.json().text)).toEqual({ A: '1', B: 'two words' });
    const noFormat = await fx.http({ url: '/v1/export/app/prod', headers: admin });
    expect(noFormat.statusCode).toBe(400);
  });

  it('bulk operations need the capability on the whole subtree and no deny rule below it', async () => {
    await put('app/prod/vault/master', { value: 'denied-value' });
    await put('app/prod/db/password', { value: 'pw' });
    await put('app/dev/db/password', { value: 'dev-pw' });
    const vaultDenied = as(fx.tokens['user:app-admin-vault-denied']);
    const exact = as(fx.tokens['user:exact-admin']);
    const exportAs = (headers: Record<string, string>, prefix: string) =>
      fx.http({ url: `/v1/export/${prefix}?format=json&recursive=true`, headers });
    const blocked = await exportAs(vaultDenied, 'app/prod');
    expect([blocked.statusCode, blocked.json().error.message]).toEqual([
      403,
      expect.stringMatching(/deny rule/),
    ]);
    expect(blocked.body).not.toContain('denied-value');
    expect((await exportAs(vaultDenied, 'app')).statusCode).toBe(403);
    const dev = await exportAs(vaultDenied, 'app/dev');
    expect(dev.statusCode).toBe(200);
    expect(JSON.parse(dev.json().text)).toEqual({ 'db/password': 'dev-pw' });
    expect((await exportAs(exact, 'app/prod')).statusCode).toBe(403);
    const imp = await fx.http({
      method: 'POST',
      url: '/v1/import/app/prod',
      payload: { format: 'dotenv', text: 'X=1\n' },
      headers: exact,
    });
    expect(imp.statusCode).toBe(403);
    const move = await fx.http({
      method: 'POST',
      url: '/v1/move',
      payload: { from: 'app/prod/vault', to: 'app/dev/vault' },
      headers: vaultDenied,
    });
    expect(move.statusCode).toBe(403);
    expect((await fx.http({ url: '/v1/secrets/app/prod/vault/master', headers: admin })).statusCode).toBe(
      200,
    );
  });

  it('rotates a KEK, rewraps, and rotates the root key', async () => {
    await put('app/prod/k', { value: 'v' });
    const rot = await fx.http({
      method: 'POST',
      url: '/v1/keys/app/prod/rotate',
      payload: {},
      headers: admin,
    });
    expect(rot.statusCode).toBe(200);
    expect(rot.json()).toMatchObject({ scope: 'app/prod', current: 2 });
    const rewrap = await fx.http({
      method: 'POST',
      url: '/v1/keys/app/prod/rewrap',
      payload: { prune: true },
      headers: admin,
    });
    expect(rewrap.json()).toMatchObject({
      scope: 'app/prod',
      kekVersion: 2,
      rewrapped: 1,
      prunedVersions: [1],
    });
    const root = await fx.http({
      method: 'POST',
      url: '/v1/sys/rotate-root',
      payload: {},
      headers: admin,
    });
    expect(root.statusCode).toBe(200);
    expect(root.json().sealKind).toBe('key-file');
    expect((await fx.http({ url: '/v1/secrets/app/prod/k', headers: admin })).json().value).toBe('v');
    const denied = await fx.http({
      method: 'POST',
      url: '/v1/keys/app/prod/rotate',
      headers: as(fx.tokens['user:creator']),
    });
    expect(denied.statusCode).toBe(403);
  });
});

describe('secrets API: OpenAPI', () => {
  it('documents every secrets route in /v1/openapi.json', async () => {
    const doc = (await fx.http({ url: '/v1/openapi.json' })).json() as {
      paths: Record<string, Record<string, { security?: unknown }>>;
    };
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(ops).toEqual(
      expect.arrayContaining([
        'GET /v1/secrets/{path}',
        'PUT /v1/secrets/{path}',
        'POST /v1/secrets/{path}',
        'DELETE /v1/secrets/{path}',
        'GET /v1/metadata/{path}',
        'PATCH /v1/metadata/{path}',
        'POST /v1/secrets-undelete/{path}',
        'POST /v1/secrets-destroy/{path}',
        'POST /v1/secrets-rollback/{path}',
        'GET /v1/list',
        'GET /v1/list/{path}',
        'POST /v1/move',
        'POST /v1/import/{path}',
        'GET /v1/export/{path}',
        'POST /v1/keys/{project}/{env}/rotate',
        'POST /v1/keys/{project}/{env}/rewrap',
        'POST /v1/sys/rotate-root',
      ]),
    );
    expect(doc.paths['/v1/secrets/{path}']?.['get']?.security).toEqual([{ hushToken: [] }]);
  });
});
