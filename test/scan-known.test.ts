import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { candidateTokens } from '../src/scan/known/candidate-tokens.js';
import { createKnownCollector } from '../src/scan/known/known-collector.js';
import { KeyFileSeal } from '../src/seal/key-file/key-file-seal.js';
import { openSqliteBackend } from '../src/storage/sqlite/sqlite-backend.js';
import { createStore } from '../src/store/index.js';
import { REPO_ROOT as ROOT } from './support/compiled.js';
import { rootTokenFrom } from './support/hush-server.js';
import { assertCompiledCli, hush } from './support/run-hush.js';

const STORED = 'Xk9#mPq2vL8zR4tW';
const FIELD = 'Zq7pLm3Nx9rT2vQQ';
const OTHER = 'Hb5vQe8sKd2wNy6c';

describe('candidate tokens (the --known tokenizer)', () => {
  it('finds quoted values, assignment values with padding, URL parts; skips words and short strings', () => {
    const text = `const pw = "${STORED}";\nTOKEN=c2VjcmV0cGFzc3dvcmQ=\nurl=https://u:${FIELD}@db:5432/app\nhost: localhost postgres abc123`;
    const values = candidateTokens(text).map((c) => c.value);
    expect(values).toContain(STORED);
    expect(values).toContain('c2VjcmV0cGFzc3dvcmQ=');
    expect(values).toContain(FIELD);
    expect(values).not.toContain('postgres');
    expect(values).not.toContain('localhost');
    expect(values).not.toContain('abc123');
    const at = candidateTokens(text, 10).find((c) => c.value === STORED);
    expect(at).toEqual({ value: STORED, line: 10, column: 13 });
  });

  it('the collector reports every occurrence of a matched value with the store path, nothing else', () => {
    const c = createKnownCollector();
    c.text(`a = "${STORED}"\nb = "${STORED}"\nc = "${OTHER}"\n`, { path: 'x.js' });
    expect(c.values()).toEqual(expect.arrayContaining([STORED, OTHER]));
    const found = c.report(new Map([[STORED, ['app/prod/pw']]]));
    expect(found.map((f) => [f.ruleId, f.line, f.title])).toEqual([
      ['hush-known-secret', 1, 'Value stored in Hush at app/prod/pw'],
      ['hush-known-secret', 2, 'Value stored in Hush at app/prod/pw'],
    ]);
  });
});

describe('store.knownSecrets over a real SQLite store', () => {
  it('matches latest string values and object fields by HMAC; deleted values and salted filters hold', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hush-known-store-'));
    const backend = await openSqliteBackend({ path: join(dir, 'hush.db') });
    const store = createStore({ backend, seal: new KeyFileSeal({ path: join(dir, 'root.key') }) });
    try {
      await store.init();
      await store.put('app/prod/pw', STORED, { actor: 't' });
      await store.put('app/prod/db', { user: 'svc', password: FIELD }, { actor: 't' });
      await store.put('app/dev/gone', OTHER, { actor: 't' });
      await store.delete('app/dev/gone', { actor: 't' });
      const m = await store.knownSecrets.match([STORED, FIELD, OTHER, 'svc', 'not-stored-value-1']);
      expect([...m.entries()]).toEqual([
        [STORED, ['app/prod/pw']],
        [FIELD, ['app/prod/db#password']],
      ]);
      const salt = Buffer.alloc(32, 7);
      const all = await store.knownSecrets.saltedIndex(salt, (p) => p);
      expect([...all.values()].flat().sort()).toEqual(['app/prod/db#password', 'app/prod/pw']);
      const some = await store.knownSecrets.saltedIndex(salt, (p) => p.filter((x) => x.endsWith('/pw')));
      expect([...some.values()]).toEqual([['app/prod/pw']]);
      await store.seal({ persist: false });
      await expect(store.knownSecrets.match([STORED])).rejects.toThrow(/sealed/);
    } finally {
      await store.close();
    }
  });
});

describe('hush scan --known (real child processes)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hush-known-cli-'));
  const data = join(dir, 'data');
  const src = join(dir, 'src');
  let server: ChildProcess | undefined;

  beforeAll(() => {
    assertCompiledCli();
    expect(hush(['init', '--data-dir', data]).code).toBe(0);
    expect(hush(['put', 'app/prod/pw', '--data-dir', data], { input: STORED }).code).toBe(0);
    expect(hush(['put', 'app/prod/db', 'user=svc', `password=${FIELD}`, '--data-dir', data]).code).toBe(0);
    mkdirSync(src);
    writeFileSync(join(src, 'app.js'), `const pw = "${STORED}";\nconst nothing = "${OTHER}";\n`);
    writeFileSync(join(src, 'db.env'), `DB_URL=postgres://svc:${FIELD}@db:5432/app\n`);
  }, 60_000);

  afterAll(() => {
    if (server?.pid) process.kill(server.pid);
  });

  it('local: finds stored values no rule knows, names the store path, never prints the value', () => {
    const plain = hush(['scan', join(src, 'app.js'), '--format', 'json']);
    expect(plain.code).toBe(0);
    const r = hush(['scan', src, '--known', '--data-dir', data, '--format', 'json']);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain(STORED);
    expect(r.stdout).not.toContain(FIELD);
    const known = (
      JSON.parse(r.stdout) as { findings: { ruleId: string; title: string; path: string; line: number }[] }
    ).findings
      .filter((f) => f.ruleId === 'hush-known-secret')
      .map((f) => [f.path.replace(`${src}/`, ''), f.line, f.title]);
    expect(known).toEqual([
      ['app.js', 1, 'Value stored in Hush at app/prod/pw'],
      ['db.env', 1, 'Value stored in Hush at app/prod/db#password'],
    ]);
  });

  it('local: a missing store is a coded error (exit 2)', () => {
    const r = hush(['scan', src, '--known', '--data-dir', join(dir, 'nothing')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/HUSH_E_NOT_INITIALIZED/);
  });

  it('remote: salted digests against a real server; only paths the token may read', async () => {
    const sdata = join(dir, 'server');
    const started = await startServer(sdata);
    server = started.child;
    const env = { HUSH_ADDR: started.addr, HUSH_TOKEN: started.rootToken };
    expect(hushEnv(['put', 'app/prod/pw'], env, STORED).code).toBe(0);
    expect(hushEnv(['put', 'team/prod/db', 'user=svc', `password=${FIELD}`], env).code).toBe(0);
    const all = hushEnv(['scan', src, '--known', '--format', 'json'], env);
    expect(all.code).toBe(1);
    expect(titles(all.stdout)).toEqual([
      'Value stored in Hush at app/prod/pw',
      'Value stored in Hush at team/prod/db#password',
    ]);
    const policy = join(dir, 'app-read.yaml');
    writeFileSync(policy, 'name: app-read\nrules:\n  - path: app/**\n    capabilities: [read]\n');
    expect(hushEnv(['policy', 'write', 'app-read', policy], env).code).toBe(0);
    const created = hushEnv(['--json', 'token', 'create', '--policy', 'app-read'], env);
    expect(created.code).toBe(0);
    const limited = (JSON.parse(created.stdout) as { token: string }).token;
    const some = hushEnv(['scan', src, '--known', '--format', 'json'], { ...env, HUSH_TOKEN: limited });
    expect(titles(some.stdout)).toEqual(['Value stored in Hush at app/prod/pw']);
    const res = await fetch(`${started.addr}/v1/sys/known-secrets/match`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hush-token': limited },
      body: JSON.stringify({ session: '0'.repeat(32), digests: [] }),
    });
    expect(res.status).toBe(404);
  }, 60_000);
});

function titles(stdout: string): string[] {
  return (JSON.parse(stdout) as { findings: { ruleId: string; title: string }[] }).findings
    .filter((f) => f.ruleId === 'hush-known-secret')
    .map((f) => f.title)
    .sort();
}

function hushEnv(args: readonly string[], env: Record<string, string>, input = '') {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/hush.js'), ...args], {
    cwd: ROOT,
    input,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Start `hush server` (key-file seal, any free port) as a real child; resolves with its address and root token. */
function startServer(dataDir: string): Promise<{ child: ChildProcess; addr: string; rootToken: string }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('HUSH_')) env[k] = v;
  env['HUSH_SEAL_KIND'] = 'key-file';
  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'bin/hush.js'),
      'server',
      '--data-dir',
      dataDir,
      '--listen',
      '127.0.0.1:0',
      '--log-level',
      'warn',
    ],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 20_000);
    const see = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const addr = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      const rootToken = rootTokenFrom(out); // from the 0600 file the server names (no terminal here)
      if (addr && rootToken) {
        clearTimeout(timer);
        resolve({ child, addr, rootToken });
      }
    };
    child.stdout?.on('data', see);
    child.stderr?.on('data', see);
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}
