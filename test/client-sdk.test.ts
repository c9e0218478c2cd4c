import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteStore } from '../src/cli/remote/remote-store.js';
import { createHushClient, isHushError } from '../src/client/index.js';
import { makeApiFixture } from './api-fixture.js';
import { rejection } from './support/rejection.js';

type Fixture = Awaited<ReturnType<typeof makeApiFixture>>;
let fx: Fixture;
let url: string;
let connections = 0;

beforeAll(async () => {
  fx = await makeApiFixture();
  const server = await fx.listen();
  server.app.server.on('connection', () => {
    connections++;
  });
  url = server.url;
});
afterAll(async () => {
  await fx.cleanup();
});

const client = (id = 'user:admin', extra: Partial<Parameters<typeof createHushClient>[0]> = {}) =>
  createHushClient({
    address: url,
    token: fx.tokens[id] ?? '',
    retries: { attempts: 1, baseDelayMs: 1 },
    ...extra,
  });

describe('hush/client against a real server', () => {
  it('round-trips every secrets operation', async () => {
    const hush = client();
    expect(
      await hush.put('sdk/prod/db/password', 'one', { description: 'db', tags: { t: '1' } }),
    ).toMatchObject({
      path: 'sdk/prod/db/password',
      version: 1,
    });
    await hush.put('sdk/prod/db/password', { user: 'u', password: 'two' }, { cas: 1 });
    expect(await hush.get('sdk/prod/db/password')).toMatchObject({
      version: 2,
      value: { user: 'u', password: 'two' },
    });
    expect((await hush.get('sdk/prod/db/password', { version: 1 })).value).toBe('one');
    expect((await hush.updateMetadata('sdk/prod/db/password', { description: 'changed' })).description).toBe(
      'changed',
    );
    expect((await hush.versions('sdk/prod/db/password')).versions).toHaveLength(2);
    expect((await hush.list('sdk/prod')).entries).toEqual([
      { name: 'db/', path: 'sdk/prod/db/', kind: 'folder' },
    ]);
    expect((await hush.list('')).entries.map((e) => e.name)).toContain('sdk/');
    expect((await hush.delete('sdk/prod/db/password', { versions: [1] })).changed).toEqual([1]);
    expect((await hush.undelete('sdk/prod/db/password', { versions: [1] })).changed).toEqual([1]);
    expect((await hush.rollback('sdk/prod/db/password', { version: 1 })).version).toBe(3);
    expect((await hush.destroy('sdk/prod/db/password', { versions: [2] })).changed).toEqual([2]);
    expect((await hush.move('sdk/prod/db', 'sdk/stage/db')).moved).toHaveLength(1);
    const report = await hush.importSecrets('sdk/prod', { format: 'dotenv', text: 'A=1\nB=2\n' });
    expect(report.counts.created).toBe(2);
    const exported = await hush.exportSecrets('sdk/prod', { format: 'dotenv' });
    expect(exported.text).toContain('A=1');
    expect((await hush.rotateKek('sdk/prod')).current).toBe(2);
    expect((await hush.rewrap('sdk/prod')).kekVersion).toBe(2);
    expect((await hush.rotateRoot()).sealKind).toBe('key-file');
    expect(await hush.status()).toMatchObject({ initialized: true, sealed: false, kind: 'key-file' });
  });

  it('turns error replies back into HushError with the server code and message', async () => {
    const hush = client();
    const missing = await rejection(hush.get('sdk/prod/none'));
    expect(missing.code).toBe('HUSH_E_NOT_FOUND');
    expect(missing.message).toMatch(/sdk\/prod\/none/);
    await hush.put('sdk/prod/cas', 'a');
    const conflict = await rejection(hush.put('sdk/prod/cas', 'b', { cas: 0 }));
    expect(conflict.code).toBe('HUSH_E_CAS_CONFLICT');
    const forbidden = await rejection(client('user:nobody').get('sdk/prod/cas'));
    expect(isHushError(forbidden, 'HUSH_E_FORBIDDEN')).toBe(true);
    const anon = await rejection(createHushClient({ address: url }).get('sdk/prod/cas'));
    expect(anon.code).toBe('HUSH_E_UNAUTHENTICATED');
    const tooBig = await rejection(hush.put('sdk/prod/big', 'x'.repeat(fx.limits.maxValueBytes + 1)));
    expect(tooBig.code).toBe('HUSH_E_TOO_LARGE');
  });

  it('refuses a traversal before sending it (fetch would normalise `..` into another address)', async () => {
    const before = fx.records().length;
    const err = await rejection(client().get('sdk/prod/db/../cas'));
    expect(err.code).toBe('HUSH_E_INVALID_ADDRESS');
    expect(fx.records().length).toBe(before);
  });

  it('reports an unreachable server after retrying', async () => {
    const hush = createHushClient({
      address: 'http://127.0.0.1:9',
      token: 't',
      retries: { attempts: 3, baseDelayMs: 1 },
    });
    const err = await rejection(hush.get('sdk/prod/x'));
    expect(err.code).toBe('HUSH_E_CONFIG');
    expect(err.message).toMatch(
      /cannot reach the Hush server at http:\/\/127\.0\.0\.1:9 \(\w+\) after 3 tries/,
    );
  });

  it('retries an idempotent read while the server is sealed, and succeeds once it is unsealed', async () => {
    const admin = client();
    await admin.put('sdk/prod/retry', 'still-here');
    await admin.seal();
    const before = fx.records().length;
    const patient = client('user:admin', { retries: { attempts: 30, baseDelayMs: 20, maxDelayMs: 60 } });
    const unsealLater = new Promise<void>((resolve, reject) => {
      setTimeout(() => admin.incident.unlock().then(() => resolve(), reject), 300);
    });
    const read = await patient.get('sdk/prod/retry');
    await unsealLater;
    expect(read.value).toBe('still-here');
    const attempts = fx
      .records()
      .slice(before)
      .filter((r) => r.operation === 'secrets.read');
    expect(attempts.length).toBeGreaterThan(1);
    expect(attempts.slice(0, -1).every((r) => r.errorCode === 'HUSH_E_SEALED')).toBe(true);
    expect(attempts.at(-1)?.outcome).toBe('allowed');
  });

  it('never retries a non-idempotent call', async () => {
    const admin = client();
    await admin.put('sdk/prod/once', 'v');
    await admin.seal();
    try {
      const before = fx.records().length;
      const patient = client('user:admin', { retries: { attempts: 5, baseDelayMs: 1 } });
      const err = await rejection(patient.rollback('sdk/prod/once', { version: 1 }));
      expect(err.code).toBe('HUSH_E_SEALED');
      expect(fx.records().slice(before)).toHaveLength(1);
    } finally {
      await admin.incident.unlock();
    }
  });

  it('caches reads for ttlMs, and a write through the same client invalidates the cache', async () => {
    const writer = client();
    await writer.put('sdk/prod/cached', 'v1');
    // A long TTL for the hits (no race with a loaded machine); a short one, waited out, for the expiry.
    const cached = client('user:admin', { cache: { ttlMs: 60_000 } });
    const expiring = client('user:admin', { cache: { ttlMs: 200 } });
    expect((await cached.get('sdk/prod/cached')).value).toBe('v1');
    expect((await expiring.get('sdk/prod/cached')).value).toBe('v1');
    // Outcomes only: a write's durable `requested` record pairs with its outcome.
    const outcomes = () => fx.records().filter((r) => r.outcome !== 'requested').length;
    const before = outcomes();
    await writer.put('sdk/prod/cached', 'v2');
    expect((await cached.get('sdk/prod/cached')).value).toBe('v1'); // served from the cache
    expect(outcomes()).toBe(before + 1); // only the other client's write reached the server
    await new Promise((r) => setTimeout(r, 250));
    expect((await expiring.get('sdk/prod/cached')).value).toBe('v2');
    await cached.put('sdk/prod/cached', 'v3');
    expect((await cached.get('sdk/prod/cached')).value).toBe('v3');
    await writer.seal();
    expect((await cached.status()).sealed).toBe(true); // seal state is never served from the cache
    await writer.incident.unlock();
    expect((await cached.status()).sealed).toBe(false);
    const mutated = await cached.get('sdk/prod/cached');
    (mutated as { value: string }).value = 'tampered';
    expect((await cached.get('sdk/prod/cached')).value).toBe('v3');
  });

  it('keeps the connection alive across calls (Node fetch / undici)', async () => {
    const hush = client();
    await hush.put('sdk/prod/ka', 'v');
    const before = connections;
    for (let i = 0; i < 5; i++) await hush.get('sdk/prod/ka');
    expect(connections - before).toBeLessThanOrEqual(1);
  });
});

describe('remote store adapter for the CLI', () => {
  it('presents HushStore shapes over the client', async () => {
    const store = createRemoteStore({ address: url, token: fx.tokens['user:admin'] ?? '' });
    expect(await store.status()).toEqual({
      initialized: true,
      sealed: false,
      lockedDown: false,
      sealKind: 'key-file',
      backendKind: 'remote',
    });
    await store.put('cli/prod/a', 'va', { actor: 'ignored' });
    expect((await store.get('cli/prod/a')).createdBy).toBe('user:admin');
    expect(await store.list('cli/prod', {})).toEqual({
      entries: [{ name: 'a', path: 'cli/prod/a', kind: 'secret' }],
    });
    expect((await store.delete('cli/prod/a', { actor: 'x' })).changed).toEqual([1]);
    const err = await rejection(store.get('cli/prod/a'));
    expect(err.code).toBe('HUSH_E_DELETED');
    await expect(store.close()).resolves.toBeUndefined();
  });
});

describe('init over HTTP', () => {
  it('initialises a fresh server once, through the remote store', async () => {
    const fresh = await makeApiFixture({ uninitialized: true });
    try {
      const server = await fresh.listen();
      const store = createRemoteStore({ address: server.url });
      expect(await store.status()).toMatchObject({ initialized: false, sealed: true });
      // The real server issues its root token once, at init.
      expect(await store.init()).toEqual({
        sealKind: 'key-file',
        rootToken: expect.stringMatching(/^hush_s_/),
      });
      expect(await store.status()).toMatchObject({ initialized: true, sealed: false, sealKind: 'key-file' });
      const again = await rejection(store.init());
      expect([again.code, again.message]).toEqual([
        'HUSH_E_ALREADY_INITIALIZED',
        expect.stringMatching(/already/),
      ]);
    } finally {
      await fresh.cleanup();
    }
  });
});
