import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type HushServer, startHushServer } from './support/hush-server.js';
import { hushIn, runHush } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

// Messages that tell the user what to do (issue 14.11), through the real CLI against a real server / store.

let root: string;
let server: HushServer;

beforeAll(async () => {
  root = await makeTempDir('messages');
  server = await startHushServer({ dataDir: join(root, 'server') });
  expect((await hushIn(join(root, 'local'))(['init'])).code).toBe(0);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  if (root) await removeTempDir(root);
});

describe('messages that say what to do', () => {
  it('HUSH_ADDR without HUSH_TOKEN: says to set HUSH_TOKEN, not which HTTP header to send', async () => {
    const run = await runHush(['get', 'a/dev/db'], { env: { HUSH_ADDR: server.url } });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('set HUSH_TOKEN');
    expect(run.stderr).not.toContain('X-Hush-Token');
  });

  it('put --expires in the past is refused with a future example', async () => {
    const hush = hushIn(join(root, 'local'));
    const past = await hush(['put', 'a/dev/db', '--expires', '2001-02-03'], { input: 'v' });
    expect(past.code).toBe(2);
    expect(past.stderr).toMatch(
      /--expires 2001-02-03 is in the past; give a future due date \(e\.g\. \d{4}-/,
    );
    const junk = await hush(['put', 'a/dev/db', '--expires', 'soon'], { input: 'v' });
    expect(junk.code).toBe(2);
    expect(junk.stderr).toContain('--expires must be an ISO 8601 date');
    const future = await hush(['put', 'a/dev/db', '--expires', '2999-01-01'], { input: 'v' });
    expect(future.code, future.stderr).toBe(0);
  });

  it('a value over the limit in a local store names no server setting as the way to raise it', async () => {
    const hush = hushIn(join(root, 'local'));
    const file = join(root, 'big.env');
    await writeFile(file, `BIG=${'a'.repeat(1_100_000)}\n`);
    // The server's setting, set here, changes nothing for a local store: the message must not offer it as the fix.
    const run = await hush(['import', 'big/dev', file], { env: { HUSH_MAX_VALUE_BYTES: '4000000' } });
    const out = run.stdout + run.stderr;
    expect(out).toContain('value is 1100000 bytes; the limit is 1048576');
    expect(out).not.toMatch(/; raise limits\.maxValueBytes/);
    expect(out).toContain('on a server');
  });

  it('a policy with one rule is "(1 rule)"', async () => {
    const file = join(root, 'one.json');
    await writeFile(file, JSON.stringify({ name: 'one', rules: [{ path: 'a/**', capabilities: ['read'] }] }));
    const run = await runHush(['policy', 'write', 'one', file], {
      env: { HUSH_ADDR: server.url, HUSH_TOKEN: server.rootToken ?? '' },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('(1 rule)');
  });

  const remote = () => ({ HUSH_ADDR: server.url, HUSH_TOKEN: server.rootToken ?? '' });

  it('a read-only token writing an existing secret is told it lacks update (a new one: create)', async () => {
    expect((await runHush(['put', 'ro/dev/db'], { env: remote(), input: 'v1' })).code).toBe(0);
    const file = join(root, 'reader.json');
    await writeFile(file, JSON.stringify({ rules: [{ path: 'ro/**', capabilities: ['read'] }] }));
    expect((await runHush(['policy', 'write', 'reader', file], { env: remote() })).code).toBe(0);
    const created = await runHush(['token', 'create', '--policy', 'reader', '--json'], { env: remote() });
    expect(created.code, created.stderr).toBe(0);
    const reader = (JSON.parse(created.stdout) as { token: string }).token;
    const as = { HUSH_ADDR: server.url, HUSH_TOKEN: reader };
    const existing = await runHush(['put', 'ro/dev/db'], { env: as, input: 'v2' });
    expect(existing.code).toBe(6);
    expect(existing.stderr).toContain('lacks update on ro/dev/db');
    const fresh = await runHush(['put', 'ro/dev/new'], { env: as, input: 'v' });
    expect(fresh.code).toBe(6);
    expect(fresh.stderr).toContain('lacks create on ro/dev/new');
  });

  it('an unknown capability lists the allowed ones (HTTP and CLI)', async () => {
    const res = await api(server, server.rootToken, 'POST', '/v1/sys/policies/explain', {
      path: 'a/dev/db',
      capability: 'raed',
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain(
      'must be one of read, list, create, update, delete, destroy, rotate, encrypt, decrypt, sign, verify, approve, admin',
    );
    const run = await runHush(['policy', 'explain', 'a/dev/db', 'raed'], { env: remote() });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('must be one of read, list, create, update');
    // Where users meet it most: a capability misspelt in a policy document.
    const file = join(root, 'misspelt.json');
    await writeFile(file, JSON.stringify({ rules: [{ path: 'a/**', capabilities: ['raed'] }] }));
    const written = await runHush(['policy', 'write', 'misspelt', file], { env: remote() });
    expect(written.code).toBe(2);
    expect(written.stderr).toContain(
      'read, list, create, update, delete, destroy, rotate, encrypt, decrypt, sign, verify, approve, admin',
    );
    expect(written.stderr).not.toContain('allowed values');
  });

  it('export counts secrets, not keys, with the right plural', async () => {
    const hush = hushIn(join(root, 'local'));
    expect(
      (await hush(['put', 'k/dev/creds', '--json-value'], { input: '{"user":"u","pass":"p"}' })).code,
    ).toBe(0);
    expect((await hush(['put', 'k/dev/token'], { input: 't' })).code).toBe(0);
    expect((await hush(['put', 'one/dev/only'], { input: 'o' })).code).toBe(0);
    const k8s = await hush(['export', 'k/dev', '--format', 'k8s-secret', '--out', join(root, 's.yaml')]);
    expect(k8s.code, k8s.stderr).toBe(0);
    expect(k8s.stdout).toContain('exported 2 secrets (3 keys) to');
    const one = await hush(['export', 'one/dev', '--out', join(root, 'one.env')]);
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toContain('exported 1 secret to');
  });

  it('an import error names its line once', async () => {
    const file = join(root, 'bad.env');
    await writeFile(file, 'A=1\nB=2\nnot a line\n');
    const run = await hushIn(join(root, 'local'))(['import', 'imp/dev', file]);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('error (line 3): expected KEY=value');
    expect(run.stdout).not.toMatch(/line 3\):? line 3/);
  });

  it('policy explain prints the granting rule once', async () => {
    const file = join(root, 'explain.json');
    await writeFile(
      file,
      JSON.stringify({
        rules: [
          { path: 'ex/**', capabilities: ['read'] },
          { path: 'other/**', capabilities: ['read'] },
        ],
      }),
    );
    expect((await runHush(['policy', 'write', 'explained', file], { env: remote() })).code).toBe(0);
    const created = await runHush(['token', 'create', '--policy', 'explained', '--json'], { env: remote() });
    const accessor = (JSON.parse(created.stdout) as { auth: { accessor: string } }).auth.accessor;
    const run = await runHush(['policy', 'explain', 'ex/dev/db', 'read', '--accessor', accessor], {
      env: remote(),
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.split('rule 0 of policy "explained"').length - 1).toBe(1);
    expect(run.stdout).toContain('rule 1 of policy "explained" (path "other/**") does not match');
  });
});
