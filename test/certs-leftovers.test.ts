import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CertSummary } from '../src/client/certs-api.js';
import { api, type HushServer, startHushServer } from './support/hush-server.js';
import { makeCa, makePkcs12, type TestCa } from './support/openssl-certs.js';
import { describeWithTool } from './support/require-tool.js';
import { assertCompiledCli, runHush } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

let dir: string;
let server: HushServer;
let root: string;
let ca: TestCa;

beforeAll(async () => {
  assertCompiledCli();
  dir = await makeTempDir('certs-leftovers');
  ca = makeCa(join(dir, 'pki'), 'leftovers-root');
  server = await startHushServer({ dataDir: join(dir, 'data') });
  root = server.rootToken ?? '';
}, 60_000);
afterAll(async () => {
  await server?.stop();
  if (dir) await removeTempDir(dir);
});

const hush = (args: readonly string[]) => runHush(args, { env: { HUSH_ADDR: server.url, HUSH_TOKEN: root } });
const bySubject = async (cn: string) => {
  const run = await hush(['certs', 'list', '--json']);
  return (JSON.parse(run.stdout) as { certificates: CertSummary[] }).certificates.find(
    (c) => c.subject === `CN=${cn}`,
  );
};

describeWithTool(
  'openssl',
  'openssl',
  ['version'],
  'certificate sources: PKCS#12 in secrets, git history',
  () => {
    it('a PKCS#12 bundle held in a secret (base64, with its password field) enters the inventory; a wrong password fails alone', async () => {
      const p12 = readFileSync(makePkcs12(join(dir, 'pki'), 'held', ca.issue('p12-secret.test'), 'pw-right'));
      const put = (path: string, value: unknown) =>
        api(server, root, 'PUT', `/v1/secrets/${path}`, { value });
      expect(
        (await put('shop/prod/keystore', { pfx: p12.toString('base64'), password: 'pw-right' })).status,
      ).toBe(200);
      const other = readFileSync(
        makePkcs12(join(dir, 'pki'), 'wrong', ca.issue('p12-wrong.test'), 'pw-real'),
      );
      expect(
        (await put('shop/prod/badstore', { pfx: other.toString('base64'), password: 'pw-guess' })).status,
      ).toBe(200);
      const run = await hush(['certs', 'scan', '--secrets', '--prefix', 'shop', '--json']);
      expect(run.code).toBe(2);
      const report = JSON.parse(run.stdout) as { items: { location: string; error?: { message: string } }[] };
      expect(report.items.find((i) => i.location === 'secret:shop/prod/badstore')?.error?.message).toMatch(
        /wrong PKCS#12 password/,
      );
      expect(run.stdout).not.toMatch(/pw-right|pw-guess|PRIVATE KEY/);
      expect((await bySubject('p12-secret.test'))?.locations).toEqual(['secret:shop/prod/keystore']);
      expect(await bySubject('p12-wrong.test')).toBeUndefined();
    });

    it('hush certs scan --git finds a certificate and its key in history after they were deleted, and links the key', async () => {
      const repo = join(dir, 'repo');
      mkdirSync(repo);
      const git = (...args: string[]) =>
        execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.test', ...args], {
          cwd: repo,
          stdio: 'pipe',
        });
      git('init', '-q');
      const leaked = ca.issue('history.test');
      writeFileSync(join(repo, 'tls.crt'), leaked.certPem);
      writeFileSync(join(repo, 'tls.key'), leaked.keyPem);
      git('add', '.');
      git('commit', '-qm', 'add tls');
      rmSync(join(repo, 'tls.crt'));
      rmSync(join(repo, 'tls.key'));
      git('commit', '-qam', 'remove tls');
      const tree = await hush(['certs', 'scan', repo, '--json']);
      expect(JSON.parse(tree.stdout)).toMatchObject({ keys: 0 });
      const run = await hush(['certs', 'scan', '--git', repo, '--json']);
      expect(run.code).toBe(0);
      const out = JSON.parse(run.stdout) as { keys: number; keysMatchingCertificates: string[] };
      expect(out.keys).toBe(1);
      const cert = await bySubject('history.test');
      expect(cert?.locations).toEqual([expect.stringMatching(/^tls\.crt@[0-9a-f]{12}$/)]);
      expect(out.keysMatchingCertificates).toEqual([cert?.fingerprintSha256]);
      expect(cert?.findings.map((f) => f.check)).toContain('private-key-exposed');
    });

    it('hush certs scan --git with no paths scans the history of the repository it runs in', async () => {
      const repo = join(dir, 'cwd-repo');
      mkdirSync(repo);
      const git = (...args: string[]) =>
        execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.test', ...args], {
          cwd: repo,
          stdio: 'pipe',
        });
      git('init', '-q');
      const leaked = ca.issue('cwd-history.test');
      writeFileSync(join(repo, 'site.pem'), leaked.certPem + leaked.keyPem);
      git('add', '.');
      git('commit', '-qm', 'add site');
      rmSync(join(repo, 'site.pem'));
      git('commit', '-qam', 'remove site');
      const run = await runHush(['certs', 'scan', '--git', '--json'], {
        cwd: repo,
        env: { HUSH_ADDR: server.url, HUSH_TOKEN: root },
      });
      expect(run.code, run.stderr).toBe(0);
      const out = JSON.parse(run.stdout) as { keys: number; keysMatchingCertificates: string[] };
      expect(out.keys).toBe(1);
      const cert = await bySubject('cwd-history.test');
      expect(cert?.locations).toEqual([expect.stringMatching(/^site\.pem@[0-9a-f]{12}$/)]);
      expect(out.keysMatchingCertificates).toEqual([cert?.fingerprintSha256]);
    });
  },
);
