import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type HushServer, startHushServer } from './support/hush-server.js';
import { errorCode, rawRequest } from './support/raw-http.js';
import { assertCompiledCli, hushIn, oneLineError } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

// Issue 12, items 5 and 9 over real HTTP: nesting depth bounded everywhere (permission first), strict request
// parsing (charset, duplicate keys, bodies on routes that take none), and the Host allow-list.

let server: HushServer;
let dir: string;
let root: string;
let nobody: string;

/** `{"a":{"a":...1...}}` nested `depth` objects deep. */
const deepObject = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const deepValue = (depth: number) => JSON.parse(deepObject(depth)) as Record<string, unknown>;

function raw(
  path: string,
  method: string,
  body: string | Buffer | undefined,
  headers: Record<string, string> = {},
) {
  return rawRequest(server.url + path, {
    method,
    headers: {
      'x-hush-token': root,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body } : {}),
  });
}

beforeAll(async () => {
  assertCompiledCli();
  dir = await makeTempDir('edge-parsing');
  server = await startHushServer({ dataDir: dir });
  root = server.rootToken ?? '';
  const made = await api(server, root, 'POST', '/v1/auth/token/create', { policies: [] });
  nobody = (made.json as { token: string }).token;
  expect(nobody).toMatch(/^hush_/);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  if (dir) await removeTempDir(dir);
});

describe('nesting depth (item 5)', () => {
  it('a token with no policies gets 403 for a deep or oversized value: permission comes before inspection', async () => {
    for (const value of [deepValue(40), { big: 'x'.repeat(1_100_000) }]) {
      const res = await api(server, nobody, 'PUT', '/v1/secrets/app/prod/deep', { value });
      expect([res.status, errorCode(res)]).toEqual([403, 'HUSH_E_FORBIDDEN']);
    }
  });

  it('a too-deep value is a coded 400 for root, however deep, and the server keeps serving', async () => {
    const at40 = await api(server, root, 'PUT', '/v1/secrets/app/prod/deep', { value: deepValue(40) });
    expect([at40.status, errorCode(at40)]).toEqual([400, 'HUSH_E_INVALID_INPUT']);
    expect(at40.text).toMatch(/nests more than 32 levels/);
    const huge = await raw('/v1/secrets/app/prod/deep', 'PUT', `{"value":${deepObject(100_000)}}`);
    expect([huge.status, errorCode(huge)]).toEqual([400, 'HUSH_E_INVALID_INPUT']);
    const arrays = await raw(
      '/v1/secrets/app/prod/deep',
      'PUT',
      `{"value":{"a":${'['.repeat(50_000)}${']'.repeat(50_000)}}}`,
    );
    expect([arrays.status, errorCode(arrays)]).toEqual([400, 'HUSH_E_INVALID_INPUT']);
    expect((await api(server, root, 'GET', '/v1/secrets/app/prod/deep')).status).toBe(404);
    expect((await api(server, undefined, 'GET', '/v1/sys/health')).status).toBe(200);
  });

  it('what is accepted can be exported as JSON and YAML', async () => {
    const ok = await api(server, root, 'PUT', '/v1/secrets/deep/prod/ok', { value: deepValue(31) });
    expect(ok.status).toBe(200);
    for (const format of ['json', 'yaml', 'dotenv']) {
      const res = await api(server, root, 'GET', `/v1/export/deep/prod?format=${format}`);
      expect(res.status, res.text).toBe(200);
    }
  });

  it('rotation policies and imports refuse deep input with coded errors, never a 500', async () => {
    const policy = { path: 'app/prod/rot', interval: '30d', rotator: 'generate', options: deepValue(40) };
    const rot = await api(server, root, 'PUT', '/v1/rotation/policies', policy);
    expect([rot.status, errorCode(rot)]).toEqual([400, 'HUSH_E_INVALID_INPUT']);
    const rotHuge = await raw(
      '/v1/rotation/policies',
      'PUT',
      `{"path":"app/prod/rot","interval":"30d","options":${deepObject(20_000)}}`,
    );
    expect([rotHuge.status, errorCode(rotHuge)]).toEqual([400, 'HUSH_E_INVALID_INPUT']);
    for (const [format, text] of [
      ['json', `{"K":${deepObject(20_000)}}`],
      ['yaml', `K: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`],
      ['json', `{"K":${deepObject(40)}}`],
    ] as const) {
      const res = await api(server, root, 'POST', '/v1/import/imp/prod', { format, text });
      expect(res.status, res.text).toBeLessThan(500);
      const report = res.json as { counts?: { failed: number; created: number }; error?: unknown };
      if (res.status === 200) expect(report.counts?.created).toBe(0);
    }
    const nothing = await api(server, root, 'GET', '/v1/list/imp/prod');
    expect((nothing.json as { entries: unknown[] }).entries).toEqual([]);
  });

  it('the CLI refuses a too-deep JSON value or import locally with one coded line (exit 2)', async () => {
    const local = await makeTempDir('edge-cli-deep');
    try {
      const hush = hushIn(local);
      expect((await hush(['init'])).code).toBe(0);
      const put = await hush(['put', 'app/prod/deep', '--json-value'], { input: deepObject(20_000) });
      expect(put.code).toBe(2);
      expect(oneLineError(put)).toMatch(/nests more than 32 levels.*HUSH_E_INVALID_INPUT/);
      const imp = await hush(['import', 'app/prod', '--format', 'json'], {
        input: `{"K":${deepObject(20_000)}}`,
      });
      expect(imp.code).toBe(2);
      expect(imp.stderr).not.toMatch(/^\s+at /m);
      expect((await hush(['put', 'app/prod/ok', '--json-value'], { input: deepObject(10) })).code).toBe(0);
    } finally {
      await removeTempDir(local);
    }
  });
});

describe('strict request parsing (item 9)', () => {
  it('a route without a body schema refuses a body: POST /v1/sys/seal with [] does not seal', async () => {
    for (const body of ['[]', '{"x":1}', '"seal"', '1']) {
      const res = await raw('/v1/sys/seal', 'POST', body);
      expect([res.status, errorCode(res)], body).toEqual([400, 'HUSH_E_USAGE']);
    }
    const status = await api(server, undefined, 'GET', '/v1/sys/health');
    expect(status.json).toMatchObject({ sealed: false });
  });

  it('refuses a declared charset other than UTF-8 and invalid UTF-8 bytes', async () => {
    const body = JSON.stringify({ value: 'v' });
    const utf16 = await raw('/v1/secrets/app/prod/cs', 'PUT', Buffer.from(body, 'utf16le'), {
      'content-type': 'application/json; charset=utf-16',
    });
    expect([utf16.status, errorCode(utf16)]).toEqual([415, 'HUSH_E_UNSUPPORTED_MEDIA']);
    const latin1 = await raw('/v1/secrets/app/prod/cs', 'PUT', body, {
      'content-type': 'application/json; charset="ISO-8859-1"',
    });
    expect([latin1.status, errorCode(latin1)]).toEqual([415, 'HUSH_E_UNSUPPORTED_MEDIA']);
    const undeclared = await raw('/v1/secrets/app/prod/cs', 'PUT', Buffer.from(body, 'utf16le'));
    expect([undeclared.status, errorCode(undeclared)]).toEqual([400, 'HUSH_E_USAGE']);
    const badBytes = await raw('/v1/secrets/app/prod/cs', 'PUT', Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]));
    expect([badBytes.status, errorCode(badBytes)]).toEqual([400, 'HUSH_E_USAGE']);
    const fine = await raw('/v1/secrets/app/prod/cs', 'PUT', body, {
      'content-type': 'application/json; charset=UTF-8',
    });
    expect(fine.status).toBe(200);
  });

  it('refuses duplicate keys, top level and nested, and prototype keys', async () => {
    for (const body of [
      '{"value":"a","value":"b"}',
      '{"value":{"user":"u","user":"v"}}',
      '{"value":"a","\\u0076alue":"b"}',
      '{"value":{"__proto__":{"x":1}}}',
    ]) {
      const res = await raw('/v1/secrets/app/prod/dup', 'PUT', body);
      expect([res.status, errorCode(res)], body).toEqual([400, 'HUSH_E_INVALID_INPUT']);
    }
    expect((await api(server, root, 'GET', '/v1/secrets/app/prod/dup')).status).toBe(404);
  });

  it('answers only for loopback names by default: a rebound DNS name is refused before anything runs', async () => {
    const port = server.port;
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'LOCALHOST']) {
      const res = await rawRequest(`${server.url}/v1/sys/health`, { headers: { host } });
      expect(res.status, host).toBe(200);
    }
    for (const host of [`evil.example:${port}`, 'attacker.test', `127.0.0.1.nip.io:${port}`]) {
      const res = await rawRequest(`${server.url}/v1/sys/health`, { headers: { host } });
      expect([res.status, errorCode(res)], host).toEqual([421, 'HUSH_E_HOST_NOT_ALLOWED']);
      const seal = await rawRequest(`${server.url}/v1/sys/unseal`, {
        method: 'POST',
        headers: { host, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(seal.status, host).toBe(421);
    }
  });

  it('HUSH_ALLOWED_HOSTS replaces the default list', async () => {
    const other = await makeTempDir('edge-hosts');
    const s2 = await startHushServer({
      dataDir: other,
      env: { HUSH_ALLOWED_HOSTS: 'hush.internal, 127.0.0.1' },
    });
    try {
      const ok = await rawRequest(`${s2.url}/v1/sys/health`, {
        headers: { host: `hush.internal:${s2.port}` },
      });
      expect(ok.status).toBe(200);
      const byIp = await rawRequest(`${s2.url}/v1/sys/health`);
      expect(byIp.status).toBe(200);
      const named = await rawRequest(`${s2.url}/v1/sys/health`, {
        headers: { host: `localhost:${s2.port}` },
      });
      expect(named.status).toBe(421);
    } finally {
      await s2.stop();
      await removeTempDir(other);
    }
  });
});
