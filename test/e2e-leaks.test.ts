import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type HushServer, startHushServer } from './support/hush-server.js';
import { assertCompiledCli, type HushRun, runHush } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

let dir: string;
let server: HushServer;
let root: string;

/** Every secret-bearing string the workload used; none may appear anywhere it is not supposed to. */
const needles = new Set<string>();
/** stderr of every CLI run. */
const cliStderr: string[] = [];

/** Distinctive, never-accidental strings (so a hit is a real leak, not a coincidence). */
const mark = (label: string) => `LEAK${label}x${Math.random().toString(36).slice(2, 12)}Q7`;

/** The value as written, plus its base64, base64url and hex forms (an encoder on the way out must not hide it). */
function forms(value: string): string[] {
  const b = Buffer.from(value, 'utf8');
  return [
    value,
    b.toString('base64'),
    b.toString('base64url'),
    b.toString('hex'),
    b.toString('hex').toUpperCase(),
  ];
}

function remember(...values: string[]): void {
  for (const v of values) needles.add(v);
}

async function cli(args: readonly string[], token: string, input?: string): Promise<HushRun> {
  const run = await runHush(args, {
    ...(input !== undefined ? { input } : {}),
    env: { HUSH_ADDR: server.url, HUSH_TOKEN: token },
  });
  cliStderr.push(run.stderr);
  return run;
}

async function raw(path: string, init: RequestInit): Promise<number> {
  const res = await fetch(server.url + path, init);
  await res.arrayBuffer();
  return res.status;
}

beforeAll(async () => {
  assertCompiledCli();
  dir = await makeTempDir('e2e-leaks');
  // Debug logging and the stdout audit sink: the most the server ever writes.
  server = await startHushServer({
    dataDir: dir,
    args: ['--log-level', 'debug'],
    env: { HUSH_AUDIT_STDOUT: 'true', HUSH_AUDIT_FILE: join(dir, 'audit.jsonl') },
  });
  root = server.rootToken ?? '';
  remember(root);
}, 30_000);

afterAll(async () => {
  await server?.stop();
  if (dir) await removeTempDir(dir);
});

describe('no secret reaches logs, metrics, audit records or CLI errors', () => {
  it('runs a full workload, then finds none of its secrets anywhere but where they belong', async () => {
    // Writes: plain strings, a JSON object, CLI stdin, CLI fields, import.
    const plain = mark('plain');
    const objPassword = mark('objpw');
    const objApiKey = mark('objkey');
    const viaStdin = mark('stdin');
    const viaField = mark('field');
    const imported = mark('import');
    const described = mark('desc');
    remember(plain, objPassword, objApiKey, viaStdin, viaField, imported, described);
    remember(JSON.stringify({ user: 'svc', password: objPassword, apiKey: objApiKey }));

    expect((await api(server, root, 'PUT', '/v1/secrets/leak/prod/plain', { value: plain })).status).toBe(
      200,
    );
    expect(
      (
        await api(server, root, 'PUT', '/v1/secrets/leak/prod/obj', {
          value: { user: 'svc', password: objPassword, apiKey: objApiKey },
          description: described,
          tags: { owner: 'team' },
        })
      ).status,
    ).toBe(200);
    expect((await cli(['put', 'leak/prod/stdin'], root, viaStdin)).code).toBe(0);
    expect((await cli(['put', 'leak/prod/fields', 'user=svc', `password=${viaField}`], root)).code).toBe(0);
    expect((await cli(['import', 'leak/dev'], root, `IMPORTED=${imported}\n`)).code).toBe(0);

    // Reads, a CAS conflict that carries a value, an oversize value and a malformed body carrying a value.
    expect((await cli(['get', 'leak/prod/plain'], root)).stdout).toBe(`${plain}\n`);
    expect((await api(server, root, 'GET', '/v1/secrets/leak/prod/obj')).status).toBe(200);
    expect((await api(server, root, 'GET', '/v1/export/leak/dev?format=dotenv')).status).toBe(200);
    const conflictValue = mark('cas');
    remember(conflictValue);
    expect(
      (await api(server, root, 'PUT', '/v1/secrets/leak/prod/plain', { value: conflictValue, cas: 7 }))
        .status,
    ).toBe(409);
    expect((await cli(['put', 'leak/prod/plain', '--cas', '9'], root, conflictValue)).code).toBe(4);
    const oversize = `${mark('big')}${'z'.repeat(1024 * 1024)}`;
    remember(oversize.slice(0, 40));
    expect((await api(server, root, 'PUT', '/v1/secrets/leak/prod/big', { value: oversize })).status).toBe(
      413,
    );
    const malformedValue = mark('malformed');
    remember(malformedValue);
    expect(
      await raw('/v1/secrets/leak/prod/plain', {
        method: 'PUT',
        headers: { 'x-hush-token': root, 'content-type': 'application/json' },
        body: `{"value": "${malformedValue}", `,
      }),
    ).toBe(400);
    const unknownFieldValue = mark('unknownfield');
    remember(unknownFieldValue);
    expect(
      (
        await api(server, root, 'PUT', '/v1/secrets/leak/prod/plain', {
          value: 'v',
          secretish: unknownFieldValue,
        })
      ).status,
    ).toBe(400);

    // Tokens: a limited one (denials), an invalid one, a revoked one.
    const policy = { name: 'leak-read', rules: [{ path: 'leak/dev/**', capabilities: ['read', 'list'] }] };
    expect((await api(server, root, 'PUT', '/v1/sys/policies/leak-read', policy)).status).toBe(200);
    const created = await api(server, root, 'POST', '/v1/auth/token/create', { policies: ['leak-read'] });
    const limited = (created.json as { token: string; auth: { accessor: string } }).token;
    remember(limited);
    expect((await cli(['get', 'leak/dev/IMPORTED'], limited)).stdout).toBe(`${imported}\n`);
    const deniedValue = mark('denied');
    remember(deniedValue);
    expect((await cli(['put', 'leak/prod/plain'], limited, deniedValue)).code).toBe(6);
    expect((await api(server, limited, 'GET', '/v1/secrets/leak/prod/obj')).status).toBe(403);
    const bogus = `hush_s_${'Z'.repeat(43)}${'abcdef'}`;
    remember(bogus);
    expect((await api(server, bogus, 'GET', '/v1/secrets/leak/prod/obj')).status).toBe(401);
    expect((await cli(['get', 'leak/prod/obj'], bogus)).code).toBe(6);
    const notAToken = mark('bearer');
    remember(notAToken);
    expect(
      await raw('/v1/secrets/leak/prod/obj', { headers: { authorization: `Bearer ${notAToken}` } }),
    ).toBe(401);
    expect((await api(server, limited, 'POST', '/v1/auth/token/revoke-self')).status).toBe(200);
    expect((await api(server, limited, 'GET', '/v1/secrets/leak/dev/IMPORTED')).status).toBe(401);
    expect((await cli(['get', 'leak/dev/IMPORTED'], limited)).code).toBe(6);

    // AppRole: failed logins with wrong secret ids, then a good one.
    const role = { policies: ['leak-read'], tokenTtl: '10m' };
    expect((await api(server, root, 'POST', '/v1/auth/approle/role/leaker', role)).status).toBeLessThan(300);
    const roleId = (
      (await api(server, root, 'GET', '/v1/auth/approle/role/leaker/role-id')).json as {
        roleId: string;
      }
    ).roleId;
    const issued = await api(server, root, 'POST', '/v1/auth/approle/role/leaker/secret-id');
    const secretId = (issued.json as { secretId: string }).secretId;
    remember(secretId);
    for (let i = 0; i < 3; i++) {
      const wrong = mark(`wrongsid${i}`);
      remember(wrong);
      const res = await api(server, undefined, 'POST', '/v1/auth/approle/login', { roleId, secretId: wrong });
      expect([400, 401, 403]).toContain(res.status);
      expect(res.text).not.toContain(wrong);
    }
    const login = await api(server, undefined, 'POST', '/v1/auth/approle/login', { roleId, secretId });
    expect(login.status).toBe(200);
    const loginToken = (login.json as { token: string }).token;
    remember(loginToken);
    expect((await api(server, loginToken, 'GET', '/v1/secrets/leak/dev/IMPORTED')).status).toBe(200);
    expect((await api(server, loginToken, 'GET', '/v1/secrets/leak/prod/plain')).status).toBe(403);
    expect((await api(server, root, 'GET', '/v1/secrets/leak/prod/none')).status).toBe(404);

    // Collect everything the server and the CLI wrote.
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain('hush_http_requests_total');
    await server.stop();
    const stdout = server.stdout();
    // With no terminal attached the root token went to a 0600 file (read by the test helper, then deleted as the
    // operator is told to); stdout, the stream of the JSON logs and the stdout audit sink, never carries it.
    expect(root).toMatch(/^hush_s_/);
    expect(stdout).toContain(`written to ${join(dir, 'root-token')} (mode 0600`);
    await rm(join(dir, 'root-token'));
    const logs = stdout + server.stderr();
    expect(logs.split('\n').filter((l) => l.startsWith('{')).length).toBeGreaterThan(50);
    const audit = await readFile(join(dir, 'audit.jsonl'), 'utf8');
    expect(audit.split('\n').filter(Boolean).length).toBeGreaterThan(30);
    expect(audit).toContain('"outcome":"denied"');
    // The stdout audit sink wrote the same trail into the searched output.
    expect(stdout).toContain('"operation":');
    expect(stdout.match(/"outcome":"denied"/g)?.length).toBe(audit.match(/"outcome":"denied"/g)?.length);

    const haystacks: Record<string, string> = {
      'server logs (stdout+stderr)': logs,
      '/metrics': metrics,
      'audit.jsonl': audit,
      'CLI stderr': cliStderr.join('\n'),
    };
    const hits: string[] = [];
    for (const needle of needles)
      for (const form of forms(needle))
        for (const [where, text] of Object.entries(haystacks))
          if (text.includes(form)) hits.push(`${where} contains ${form.slice(0, 24)}…`);
    expect(hits).toEqual([]);

    // Metrics carry route patterns, never concrete secret paths.
    expect(metrics).not.toMatch(/leak\/(prod|dev)/);
    for (const m of metrics.matchAll(/route="([^"]*)"/g)) expect(m[1]).not.toMatch(/\/v1\/secrets\/[a-z]/);

    // At rest: no value or token in any file of the data directory (SQLite, WAL, keys, audit).
    for (const name of await readdir(dir)) {
      const bytes = await readFile(join(dir, name)).catch(() => Buffer.alloc(0));
      for (const needle of needles)
        expect(bytes.includes(needle), `${name} holds ${needle.slice(0, 24)}`).toBe(false);
    }
  }, 120_000);
});
