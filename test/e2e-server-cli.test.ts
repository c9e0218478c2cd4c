import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type HushServer, startHushServer } from './support/hush-server.js';
import { assertCompiledCli, type HushRun, oneLineError, runHush } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

let dir: string;
let server: HushServer;
let root: string;

/** The real CLI against the real server, as `token` (default: the root token). */
function hush(args: readonly string[], options: { input?: string; token?: string } = {}): Promise<HushRun> {
  return runHush(args, {
    ...(options.input !== undefined ? { input: options.input } : {}),
    env: { HUSH_ADDR: server.url, HUSH_TOKEN: options.token ?? root },
  });
}

function ok(run: HushRun): HushRun {
  if (run.code !== 0) throw new Error(`exit ${run.code}; stderr: ${run.stderr}`);
  return run;
}

function json<T>(run: HushRun): T {
  return JSON.parse(ok(run).stdout) as T;
}

beforeAll(async () => {
  assertCompiledCli();
  dir = await makeTempDir('e2e-cli');
  server = await startHushServer({ dataDir: dir });
  root = server.rootToken ?? '';
  expect(root).toMatch(/^hush_s_[A-Za-z0-9]{49}$/);
}, 30_000);

afterAll(async () => {
  await server?.stop();
  if (dir) await removeTempDir(dir);
});

describe('hush CLI against a real hush server', () => {
  it('writes from stdin and KEY=VALUE fields, reads them back raw and as JSON', async () => {
    ok(await hush(['put', 'shop/prod/api-key'], { input: 'sk-live-one\n' }));
    ok(await hush(['put', 'shop/prod/db', 'user=app', 'password=pw-1']));
    expect(ok(await hush(['get', 'shop/prod/api-key'])).stdout).toBe('sk-live-one\n');
    const read = json<{ value: unknown; version: number; path: string }>(
      await hush(['get', 'shop/prod/db', '--json']),
    );
    expect(read).toMatchObject({
      path: 'shop/prod/db',
      version: 1,
      value: { user: 'app', password: 'pw-1' },
    });
    expect(ok(await hush(['get', 'shop/prod/db', '--field', 'password'])).stdout).toBe('pw-1\n');
  });

  it('lists recursively, shows versions, and runs delete / undelete / destroy / rollback', async () => {
    ok(await hush(['put', 'shop/prod/api-key'], { input: 'sk-live-two' }));
    expect(
      ok(await hush(['list', 'shop', '-r']))
        .stdout.split('\n')
        .filter(Boolean),
    ).toEqual(['shop/prod/api-key', 'shop/prod/db']);
    const versions = ok(await hush(['versions', 'shop/prod/api-key'])).stdout;
    expect(versions).toMatch(/^1\s+active/m);
    expect(versions).toMatch(/^2\s+active/m);
    expect(versions).not.toContain('sk-live');

    ok(await hush(['delete', 'shop/prod/api-key']));
    const deleted = await hush(['get', 'shop/prod/api-key']);
    expect(deleted.code).toBe(3);
    expect(oneLineError(deleted)).toMatch(/\[HUSH_E_DELETED\]$/);
    ok(await hush(['undelete', 'shop/prod/api-key']));
    expect(ok(await hush(['get', 'shop/prod/api-key'])).stdout).toBe('sk-live-two\n');

    const rolled = json<{ version: number }>(
      await hush(['--json', 'rollback', 'shop/prod/api-key', '--to', '1']),
    );
    expect(rolled.version).toBe(3);
    expect(ok(await hush(['get', 'shop/prod/api-key'])).stdout).toBe('sk-live-one\n');

    ok(await hush(['destroy', 'shop/prod/api-key', '--versions', '1']));
    const destroyed = await hush(['get', 'shop/prod/api-key', '--version', '1']);
    expect(destroyed.code).toBe(3);
    expect(oneLineError(destroyed)).toMatch(/\[HUSH_E_DESTROYED\]$/);
    // Version 3 is a copy of version 1's content, not a reference: it still reads.
    expect(ok(await hush(['get', 'shop/prod/api-key'])).stdout).toBe('sk-live-one\n');
  });

  it('moves, imports, exports and rotates keys', async () => {
    ok(await hush(['mv', 'shop/prod/db', 'shop/stage/db']));
    expect((await hush(['get', 'shop/prod/db'])).code).toBe(3);
    expect(json<{ value: unknown }>(await hush(['get', 'shop/stage/db', '--json'])).value).toEqual({
      user: 'app',
      password: 'pw-1',
    });

    const imported = await hush(['import', 'shop/dev'], { input: 'ALPHA=a-1\nBETA="b two"\n' });
    ok(imported);
    expect(imported.stdout).toMatch(/2 created/);
    const exported = json<Record<string, string>>(await hush(['export', 'shop/dev', '--format', 'json']));
    expect(exported).toEqual({ ALPHA: 'a-1', BETA: 'b two' });

    const rotated = json<{ keyring: { current: number }; rewrap?: { rewrapped: number } }>(
      await hush(['--json', 'keys', 'rotate', 'shop/dev']),
    );
    expect(rotated.keyring.current).toBe(2);
    expect(rotated.rewrap?.rewrapped).toBe(2);
    expect(ok(await hush(['get', 'shop/dev/BETA'])).stdout).toBe('b two\n');
  });

  it('a token with a limited policy reads what it may, is denied the rest (exit 6), sees a filtered list, and dies on revoke', async () => {
    const policyFile = join(dir, 'dev-read.yaml');
    await writeFile(
      policyFile,
      'name: dev-read\nrules:\n  - path: shop/dev/**\n    capabilities: [read, list]\n',
    );
    ok(await hush(['policy', 'write', 'dev-read', policyFile]));
    // --json after the command works for server-only commands too (as documented), not only before it.
    expect(json<{ policies: string[] }>(await hush(['policy', 'list', '--json'])).policies).toContain(
      'dev-read',
    );
    const created = json<{ token: string; auth: { accessor: string; policies: string[] } }>(
      await hush(['token', 'create', '--policy', 'dev-read', '--ttl', '1h', '--json']),
    );
    expect(created.auth.policies).toEqual(['dev-read']);
    const limited = created.token;

    expect(ok(await hush(['get', 'shop/dev/ALPHA'], { token: limited })).stdout).toBe('a-1\n');
    const write = await hush(['put', 'shop/dev/ALPHA'], { token: limited, input: 'nope' });
    expect(write.code).toBe(6);
    expect(oneLineError(write)).toMatch(/^hush: .*\[HUSH_E_FORBIDDEN\]$/);
    const otherRead = await hush(['get', 'shop/stage/db'], { token: limited });
    expect(otherRead.code).toBe(6);
    expect(oneLineError(otherRead)).toMatch(/\[HUSH_E_FORBIDDEN\]$/);
    expect(
      ok(await hush(['list', 'shop', '-r'], { token: limited }))
        .stdout.split('\n')
        .filter(Boolean),
    ).toEqual(['shop/dev/ALPHA', 'shop/dev/BETA']);
    // The value was not changed by the denied write.
    expect(ok(await hush(['get', 'shop/dev/ALPHA'])).stdout).toBe('a-1\n');

    ok(await hush(['token', 'revoke', '--accessor', created.auth.accessor]));
    const revoked = await hush(['get', 'shop/dev/ALPHA'], { token: limited });
    expect(revoked.code).toBe(6);
    expect(oneLineError(revoked)).toMatch(/\[HUSH_E_UNAUTHENTICATED\]$/);
    expect(revoked.stderr).not.toContain(limited);
    const raw = await api(server, limited, 'GET', '/v1/secrets/shop/dev/ALPHA');
    expect(raw.status).toBe(401);
  });

  it('seal over HTTP makes every command exit 5 (503) until hush incident unlock', async () => {
    ok(await hush(['seal']));
    const health = await fetch(`${server.url}/v1/sys/health`);
    expect(health.status).toBe(503);
    const sealed = await hush(['get', 'shop/dev/ALPHA']);
    expect(sealed.code).toBe(5);
    expect(oneLineError(sealed)).toMatch(/\[HUSH_E_SEALED\]$/);
    expect((await api(server, root, 'GET', '/v1/secrets/shop/dev/ALPHA')).status).toBe(503);
    // The key-file seal needs no material: an unseal does not lift an operator's seal, `hush incident unlock` does.
    expect(oneLineError(await hush(['unseal']))).toMatch(/\[HUSH_E_LOCKED_DOWN\]$/);
    ok(await hush(['incident', 'unlock']));
    expect(ok(await hush(['get', 'shop/dev/ALPHA'])).stdout).toBe('a-1\n');
  });

  it('a restarted server process keeps the data and unseals itself (key-file)', async () => {
    const stopped = await server.stop();
    expect(stopped.code).toBe(0);
    server = await startHushServer({ dataDir: dir });
    expect(server.rootToken).toBeUndefined();
    expect((await fetch(`${server.url}/v1/sys/health`)).status).toBe(200);
    expect(ok(await hush(['get', 'shop/dev/BETA'])).stdout).toBe('b two\n');
    expect(ok(await hush(['get', 'shop/prod/api-key'])).stdout).toBe('sk-live-one\n');
  }, 30_000);
});

describe('raw HTTP against the real server', () => {
  const secret = '/v1/secrets/shop/dev/raw';

  async function send(path: string, init: RequestInit & { token?: string | null } = {}) {
    const headers = new Headers(init.headers);
    if (init.token !== null) headers.set('x-hush-token', init.token ?? root);
    const res = await fetch(server.url + path, { ...init, headers });
    const body = (await res.json()) as { error?: { code: string; message: string } };
    return { status: res.status, body };
  }

  it('400 on malformed JSON, 415 on a wrong content type, 413 over the body limit', async () => {
    const malformed = await send(secret, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"value": "x"',
    });
    expect(malformed).toMatchObject({ status: 400, body: { error: { code: 'HUSH_E_USAGE' } } });
    const text = await send(secret, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: 'x' });
    expect(text).toMatchObject({ status: 415, body: { error: { code: 'HUSH_E_UNSUPPORTED_MEDIA' } } });
    const big = await send(secret, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ value: 'x'.repeat(3 * 1024 * 1024) }),
    });
    expect(big).toMatchObject({ status: 413, body: { error: { code: 'HUSH_E_TOO_LARGE' } } });
  });

  it('400 on path traversal and unknown fields; 401 on an invalid token; 403 on a denied capability', async () => {
    for (const path of [
      '/v1/secrets/shop/%2e%2e/dev/x',
      '/v1/secrets/shop/dev/.%2e/x',
      '/v1/secrets/shop/dev%2fx/y',
    ]) {
      const res = await send(path);
      expect(res.status, path).toBe(400);
      expect(res.body.error?.code, path).toBe('HUSH_E_INVALID_ADDRESS');
    }
    const unknown = await send(secret, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ value: 'v', colour: 'red' }),
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error?.message).toMatch(/colour/);
    const invalid = await send(secret, { token: `hush_s_${'A'.repeat(49)}` });
    expect(invalid).toMatchObject({ status: 401, body: { error: { code: 'HUSH_E_UNAUTHENTICATED' } } });
    expect((await send(secret, { token: null })).status).toBe(401);

    const limited = await api(server, root, 'POST', '/v1/auth/token/create', { policies: ['dev-read'] });
    const token = (limited.json as { token: string }).token;
    const denied = await send(secret, {
      token,
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ value: 'v' }),
    });
    expect(denied).toMatchObject({ status: 403, body: { error: { code: 'HUSH_E_FORBIDDEN' } } });
    expect((await send(secret)).status).toBe(404);
  });
});
