import { chmod, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { assertCompiledCli, hushIn, oneLineError } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

let dir: string;
let work: string;
let hush: ReturnType<typeof hushIn>;
const PASSWORD = 'render-canary-pw-9d1c';

beforeAll(async () => {
  assertCompiledCli();
  dir = await makeTempDir('inject-render');
  work = join(dir, 'work');
  await mkdir(work);
  hush = hushIn(dir);
  expect((await hush(['init'])).code).toBe(0);
  expect((await hush(['put', 'app/prod/db', 'user=app', `password=${PASSWORD}`])).code).toBe(0);
  expect((await hush(['put', 'app/prod/api-key'], { input: 'key-ü-1' })).code).toBe(0);
  expect((await hush(['put', 'app/prod/tls/cert'], { input: '-----BEGIN-----\nline\n' })).code).toBe(0);
}, 60_000);
afterAll(() => removeTempDir(dir));

const TEMPLATE =
  'db_user={{ secret "db" "user" }}\ndb_pass={{ secret "db" "password" }}\nkey={{ secret "/app/prod/api-key" }}\nregion={{ env "REGION" }}\n';
const EXPECTED = `db_user=app\ndb_pass=${PASSWORD}\nkey=key-ü-1\nregion=eu-1\n`;

async function template(name: string, text: string): Promise<string> {
  const path = join(work, name);
  await writeFile(path, text);
  return path;
}

const leftovers = async () => (await readdir(work)).filter((n) => n.includes('hush-tmp'));

describe('hush render', () => {
  it('renders to a 0600 file, replacing an existing 0644 file atomically (new inode, no temp file left)', async () => {
    const tpl = await template('app.tpl', TEMPLATE);
    const out = join(work, 'app.conf');
    await writeFile(out, 'old', { mode: 0o644 });
    await chmod(out, 0o644);
    const before = (await stat(out)).ino;
    const run = await hush(['render', tpl, '--out', out, '--prefix', 'app/prod'], {
      env: { REGION: 'eu-1' },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain(PASSWORD);
    expect(await readFile(out, 'utf8')).toBe(EXPECTED);
    const after = await stat(out);
    expect(after.mode & 0o777).toBe(0o600);
    expect(after.ino).not.toBe(before);
    expect(await leftovers()).toEqual([]);
  });

  it('--out - writes to stdout', async () => {
    const tpl = await template('stdout.tpl', TEMPLATE);
    const run = await hush(['render', tpl, '--out', '-', '--prefix', 'app/prod'], {
      env: { REGION: 'eu-1' },
    });
    expect(run).toMatchObject({ code: 0, stdout: EXPECTED });
  });

  it('a missing secret or field names it with line:col; nothing is written and the old file is intact', async () => {
    const out = join(work, 'keep.conf');
    await writeFile(out, 'previous');
    const missing = await template('missing.tpl', 'a=1\nb={{ secret "app/prod/nope" }}\n');
    const run = await hush(['render', missing, '--out', out]);
    expect(run.code).toBe(3);
    expect(oneLineError(run)).toMatch(
      /template 2:3: secret app\/prod\/nope: no secret at app\/prod\/nope.*\[HUSH_E_NOT_FOUND\]/,
    );
    const field = await template('field.tpl', '{{ secret "app/prod/db" "pw" }}');
    const fieldRun = await hush(['render', field, '--out', out]);
    expect(oneLineError(fieldRun)).toMatch(
      /template 1:1: app\/prod\/db has no field "pw"; its fields are: user, password/,
    );
    expect(fieldRun.stderr).not.toContain(PASSWORD);
    expect(await readFile(out, 'utf8')).toBe('previous');
    expect(await leftovers()).toEqual([]);
  });

  it('an unknown directive is a parse error with line:col; no code runs and nothing is written', async () => {
    const bad = await template('bad.tpl', 'x\n\ty={{ exec "rm -rf /" }}\n');
    const out = join(work, 'never.conf');
    const run = await hush(['render', bad, '--out', out]);
    expect(run.code).toBe(2);
    expect(oneLineError(run)).toMatch(/template 2:7: unknown directive "exec".*\[HUSH_E_INVALID_INPUT\]/);
    await expect(stat(out)).rejects.toThrow(/ENOENT/);
  });

  it('a failed rename (the output is a directory) is a clear error and removes the temp file', async () => {
    const target = join(work, 'is-a-dir');
    await mkdir(target);
    const tpl = await template('dir.tpl', `{{ secret "app/prod/db" "password" }}`);
    const run = await hush(['render', tpl, '--out', target]);
    expect(run.code).toBe(2);
    expect(oneLineError(run)).toMatch(/cannot write .*is-a-dir \(EISDIR\); choose a writable path for --out/);
    expect(await leftovers()).toEqual([]);
    expect(await readdir(target)).toEqual([]);
  });
});

describe('hush export --format k8s-secret', () => {
  interface Secret {
    apiVersion: string;
    kind: string;
    type: string;
    metadata: { name: string; namespace?: string };
    data: Record<string, string>;
  }
  const decode = (s: Secret) =>
    Object.fromEntries(
      Object.entries(s.data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
    );

  it('renders a v1 Secret with base64 data, names mapped like hush run', async () => {
    const run = await hush(['export', 'app/prod', '--format', 'k8s-secret', '-r', '--namespace', 'shop']);
    expect(run.code).toBe(0);
    const doc = parse(run.stdout) as Secret;
    expect(doc).toMatchObject({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: { name: 'app-prod', namespace: 'shop' },
    });
    expect(decode(doc)).toEqual({
      API_KEY: 'key-ü-1',
      DB_PASSWORD: PASSWORD,
      DB_USER: 'app',
      TLS_CERT: '-----BEGIN-----\nline',
    });
    expect(run.stdout).not.toContain(PASSWORD);
  });

  it('--out FILE is 0600; --name, --map and --include apply', async () => {
    const out = join(work, 'secret.yaml');
    const run = await hush([
      'export',
      'app/prod',
      '--format',
      'k8s-secret',
      '--name',
      'web',
      '--include',
      'db',
      '--map',
      'DB_USER=PGUSER',
      '--out',
      out,
    ]);
    expect(run.code).toBe(0);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    const doc = parse(await readFile(out, 'utf8')) as Secret;
    expect(doc.metadata).toEqual({ name: 'web' });
    expect(decode(doc)).toEqual({ PGUSER: 'app', DB_PASSWORD: PASSWORD });
  });

  it('bad names and misplaced flags are usage errors; existing formats are unchanged', async () => {
    const bad = await hush(['export', 'app/prod', '--format', 'k8s-secret', '--name', 'Bad_Name']);
    expect(oneLineError(bad)).toMatch(/--name must be lower-case.*\[HUSH_E_USAGE\]/);
    const misplaced = await hush(['export', 'app/prod', '--format', 'json', '--map', 'A=B']);
    expect(oneLineError(misplaced)).toMatch(/--map apply to --format k8s-secret only/);
    const json = await hush(['export', 'app/prod', '--format', 'json']);
    expect(JSON.parse(json.stdout)).toEqual({
      'api-key': 'key-ü-1',
      db: { user: 'app', password: PASSWORD },
    });
  });
});
