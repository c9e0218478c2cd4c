import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertSummary } from '../src/client/certs-api.js';
import type { Alert } from '../src/core/alerts/alert.js';
import { api, type HushServer, startHushServer } from './support/hush-server.js';
import { type MadeCert, makeCa, makePkcs12, makeSelfSigned, type TestCa } from './support/openssl-certs.js';
import { assertCompiledCli, runHush } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';
import { type LoopbackServer, tlsServer } from './support/tls-servers.js';

let dir: string;
let server: HushServer;
let root: string;
let ca: TestCa;
const tls: LoopbackServer[] = [];

beforeAll(async () => {
  assertCompiledCli();
  dir = await makeTempDir('certs-e2e');
  ca = makeCa(join(dir, 'pki'), 'e2e-root');
  // A short probe timeout from the config file, so the hanging endpoint below fails in a second.
  // Probes go only where the outbound allow-list says: loopback is opened by address, and localhost by name.
  await writeFile(
    join(dir, 'hush.yaml'),
    'certs:\n  probeTimeoutMs: 1000\n  leadDays: [30, 7]\noutbound:\n  allow: [127.0.0.1, localhost]\n',
  );
  server = await startHushServer({ dataDir: join(dir, 'data'), args: ['--config', join(dir, 'hush.yaml')] });
  root = server.rootToken ?? '';
}, 60_000);
afterAll(async () => {
  await Promise.all(tls.map((s) => s.close()));
  await server?.stop();
  if (dir) await removeTempDir(dir);
});

const hush = (args: readonly string[], input?: string) =>
  runHush(args, { env: { HUSH_ADDR: server.url, HUSH_TOKEN: root }, ...(input ? { input } : {}) });
const serve = async (cert: MadeCert, chain = '') => {
  const s = await tlsServer(cert.certPem + chain, cert.keyPem);
  tls.push(s);
  return s.port;
};
const list = async () =>
  JSON.parse((await hush(['certs', 'list', '--json'])).stdout) as { certificates: CertSummary[] };
const bySubject = async (cn: string) => (await list()).certificates.find((c) => c.subject === `CN=${cn}`);
const checksOf = async (cn: string) => (await bySubject(cn))?.findings.map((f) => f.check) ?? [];

describe('hush certs against a real server', () => {
  it('adds files, globs, Kubernetes manifests and PKCS#12; bad items fail alone and the rest is recorded', async () => {
    const files = join(dir, 'files');
    await mkdir(join(files, 'nested'), { recursive: true });
    const web = ca.issue('web.e2e', { days: 20 });
    await writeFile(join(files, 'nested', 'web.pem'), web.certPem + web.keyPem);
    const k8s = ca.issue('k8s.e2e');
    await writeFile(
      join(files, 'secret.yaml'),
      `apiVersion: v1\nkind: Secret\ntype: kubernetes.io/tls\nmetadata: {name: k8s-tls, namespace: prod}\ndata:\n  tls.crt: ${Buffer.from(k8s.certPem).toString('base64')}\n  tls.key: ${Buffer.from(k8s.keyPem).toString('base64')}\n`,
    );
    await writeFile(join(files, 'garbage.crt'), 'this is not a certificate at all');
    const p12 = makePkcs12(files, 'bundle', ca.issue('p12.e2e'), 'right-password');
    await writeFile(join(dir, 'p12.pass'), 'wrong-password\n');
    const added = await hush([
      'certs',
      'add',
      `${files}/**/*.pem`,
      join(files, 'secret.yaml'),
      join(files, 'garbage.crt'),
      p12,
      '--password-file',
      join(dir, 'p12.pass'),
    ]);
    expect(added.code).toBe(2);
    expect(added.stdout).toMatch(/FAILED .*garbage\.crt: DER: not an X\.509 certificate/);
    expect(added.stdout).toMatch(/FAILED .*bundle\.p12: wrong PKCS#12 password/);
    expect(added.stderr).toMatch(/2 item\(s\) failed.*\[HUSH_E_INVALID_INPUT\]/);
    expect(added.stdout).not.toMatch(/PRIVATE KEY|right-password|wrong-password/);
    expect(await bySubject('web.e2e')).toMatchObject({
      daysLeft: 19,
      locations: [join(files, 'nested', 'web.pem')],
    });
    expect((await bySubject('k8s.e2e'))?.locations).toEqual([
      `k8s:prod/k8s-tls@${join(files, 'secret.yaml')}`,
    ]);
    expect(await checksOf('web.e2e')).toContain('expiring');

    await writeFile(join(dir, 'p12.pass'), 'right-password\n');
    const fixed = await hush(['certs', 'add', p12, '--password-file', join(dir, 'p12.pass')]);
    expect(fixed.code).toBe(0);
    expect(await bySubject('p12.e2e')).toBeDefined();
  });

  it('probes real TLS endpoints: valid, expired, wrong host, self-signed, incomplete chain', async () => {
    await hush(['certs', 'add', '--trust-anchor', ca.certPath]);
    const inter = ca.intermediate('e2e-inter');
    const good = await serve(inter.issue('good.e2e', { sans: ['DNS:good.e2e'] }), inter.certPem);
    const expired = await serve(
      ca.issue('expired.e2e', { start: '20240101000000Z', end: '20240301000000Z' }),
    );
    const wrong = await serve(ca.issue('wrong.e2e', { sans: ['DNS:other.e2e'] }));
    const self = await serve(makeSelfSigned(join(dir, 'self'), 'self.e2e', 90));
    const partial = await serve(inter.issue('partial.e2e', { sans: ['DNS:partial.e2e'] }));
    const probe = (port: number, name: string) =>
      hush(['certs', 'probe', `127.0.0.1:${port}`, '--servername', name, '--remember']);
    for (const [port, name] of [
      [good, 'good.e2e'],
      [expired, 'expired.e2e'],
      [wrong, 'wrong.e2e'],
      [self, 'self.e2e'],
      [partial, 'partial.e2e'],
    ] as const)
      expect((await probe(port, name)).code).toBe(0);
    expect(await checksOf('good.e2e')).toEqual([]);
    expect(await checksOf('expired.e2e')).toEqual(['expired']);
    expect(await checksOf('wrong.e2e')).toEqual(['hostname-mismatch']);
    expect(await checksOf('self.e2e')).toEqual(['chain-untrusted']);
    expect(await checksOf('partial.e2e')).toEqual(['chain-incomplete']);

    const check = await hush(['certs', 'check']);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/CRITICAL .*CN=expired\.e2e: expired/);
    expect(check.stdout).not.toContain('\u001b['); // no colour on a pipe
    const table = await hush(['certs', 'list']);
    expect(table.stdout.split('\n')[0]).toMatch(/^DAYS LEFT\s+NOT AFTER\s+SUBJECT/);
  });

  it('a hanging or refusing endpoint is a per-item error; the others in the same probe still update', async () => {
    const { badServer } = await import('./support/tls-servers.js');
    const hang = await badServer('hang');
    tls.push(hang);
    const ok = await serve(ca.issue('batch.e2e', { sans: ['DNS:localhost'] }));
    const run = await hush(['certs', 'probe', `localhost:${ok}`, `127.0.0.1:${hang.port}`, '--json']);
    expect(run.code).toBe(8);
    const report = JSON.parse(run.stdout) as {
      items: { location: string; error?: { code: string; message: string } }[];
    };
    expect(report.items[0]?.error).toBeUndefined();
    expect(report.items[1]?.error?.code).toBe('HUSH_E_UPSTREAM');
    expect(await bySubject('batch.e2e')).toBeDefined();
  });

  it('a private key leaked in a tree that matches a served certificate raises a critical alert; metrics carry expiry', async () => {
    const leaked = ca.issue('leak.e2e', { sans: ['DNS:leak.e2e'] });
    const port = await serve(leaked);
    expect((await hush(['certs', 'probe', `127.0.0.1:${port}`, '--servername', 'leak.e2e'])).code).toBe(0);
    const repo = join(dir, 'repo');
    await mkdir(join(repo, 'deploy'), { recursive: true });
    await writeFile(join(repo, 'deploy', 'tls.key'), leaked.keyPem);
    await writeFile(join(repo, 'README.md'), '# nothing here\n');
    const scan = await hush(['certs', 'scan', repo, '--json']);
    expect(scan.code).toBe(0);
    const out = JSON.parse(scan.stdout) as { keys: number; keysMatchingCertificates: string[] };
    const leak = await bySubject('leak.e2e');
    expect(out.keysMatchingCertificates).toEqual([leak?.fingerprintSha256]);
    expect(scan.stdout).not.toContain('PRIVATE KEY');
    expect(leak?.findings).toContainEqual(
      expect.objectContaining({
        check: 'private-key-exposed',
        severity: 'critical',
        where: `${join(repo, 'deploy', 'tls.key')}:1`,
      }),
    );
    const alerts = (await api(server, root, 'GET', '/v1/sys/alerts?rule=certificate-key-exposed')).json as {
      alerts: Alert[];
    };
    expect(alerts.alerts).toHaveLength(1);
    expect(alerts.alerts[0]).toMatchObject({ severity: 'critical' });
    expect(alerts.alerts[0]?.message).toContain('CN=leak.e2e');
    expect(server.stdout() + server.stderr()).not.toContain(leaked.keyPem.split('\n')[1] ?? 'x');
    const expiry = (await api(server, root, 'GET', '/v1/sys/alerts?rule=certificate-expiry')).json as {
      alerts: Alert[];
    };
    expect(expiry.alerts.map((a) => a.message)).toContainEqual(expect.stringContaining('CN=expired.e2e'));

    const metrics = (await api(server, undefined, 'GET', '/metrics')).text;
    const line = metrics
      .split('\n')
      .find(
        (l) =>
          l.startsWith('hush_certificate_expiry_timestamp_seconds{') &&
          l.includes(leak?.fingerprintSha256 ?? '?'),
      );
    expect(line).toContain('subject="CN=leak.e2e"');
    expect(Number(line?.split(' ').pop())).toBe(Date.parse(leak?.notAfter ?? '') / 1000);
  });

  it('finds certificates in stored secrets the token may read, and refuses a token without the capability', async () => {
    const inSecret = ca.issue('secret.e2e');
    expect((await hush(['put', 'shop/prod/tls'], inSecret.certPem + inSecret.keyPem)).code).toBe(0);
    const run = await hush(['certs', 'scan', '--secrets', '--json']);
    expect(run.code).toBe(0);
    expect((await bySubject('secret.e2e'))?.locations).toEqual(['secret:shop/prod/tls']);
    const weak = (await api(server, root, 'POST', '/v1/auth/token/create', { policies: ['default'] }))
      .json as { token: string };
    const denied = await runHush(['certs', 'list'], {
      env: { HUSH_ADDR: server.url, HUSH_TOKEN: weak.token },
    });
    expect(denied.stderr).toMatch(/HUSH_E_FORBIDDEN/);
    const probe = await api(server, weak.token, 'POST', '/v1/certs/probe', {
      targets: [{ host: '127.0.0.1', port: 1 }],
    });
    expect(probe.status).toBe(403);
    // Even an admin's probe stays inside the outbound allow-list: a per-item refusal, no connection made.
    const off = await api(server, root, 'POST', '/v1/certs/probe', {
      targets: [{ host: '10.1.2.3', port: 443 }],
    });
    expect(off.status).toBe(200);
    expect((off.json as { items: { error?: { message: string } }[] }).items[0]?.error?.message).toMatch(
      /10\.1\.2\.3:443 is not on the server's outbound allow-list/,
    );
    const bad = await api(server, root, 'POST', '/v1/certs/keys', {
      keys: [{ spkiSha256: 'nothex', location: 'x' }],
    });
    expect(bad.status).toBe(400);
  });
});
