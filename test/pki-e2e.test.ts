import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CertSummary } from '../src/client/certs-api.js';
import { api, type HushServer, startHushServer } from './support/hush-server.js';
import { newKeyArgs, readDerCrl, verifyWithCrl } from './support/openssl-certs.js';
import { describeWithTool } from './support/require-tool.js';
import { assertCompiledCli, runHush } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';
import { type LoopbackServer, tlsServer } from './support/tls-servers.js';

let dir: string;
let server: HushServer;
let root: string;
const tls: LoopbackServer[] = [];

beforeAll(async () => {
  assertCompiledCli();
  dir = await makeTempDir('pki-e2e');
  // Probes go only where the outbound allow-list says: loopback by address.
  writeFileSync(join(dir, 'hush.yaml'), 'outbound:\n  allow: [127.0.0.1]\n');
  server = await startHushServer({ dataDir: join(dir, 'data'), args: ['--config', join(dir, 'hush.yaml')] });
  root = server.rootToken ?? '';
}, 60_000);
afterAll(async () => {
  await Promise.all(tls.map((s) => s.close()));
  await server?.stop();
  if (dir) await removeTempDir(dir);
});

const hush = (args: readonly string[]) => runHush(args, { env: { HUSH_ADDR: server.url, HUSH_TOKEN: root } });
const openssl = (args: string[]) => spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
const ok = async (args: readonly string[]) => {
  const run = await hush(args);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return run.stdout;
};

describeWithTool('openssl', 'openssl', ['version'], 'hush pki against a real server', () => {
  it('sets up the CA once, issues under a role, and openssl verifies the leaf and sees the CRL URL', async () => {
    const made = JSON.parse(await ok(['pki', 'ca', 'init', '--organization', 'Hush e2e', '--json'])) as {
      crlUrls: string[];
    };
    expect(made.crlUrls).toEqual([`${server.url}/v1/pki/crl`]);
    const again = await hush(['pki', 'ca', 'init']);
    expect(again.code).toBe(4);
    expect(again.stderr).toMatch(/HUSH_E_ALREADY_EXISTS/);
    // The CA certificates are public, like a CA's published root; the keys never appear.
    const shown = await api(server, undefined, 'GET', '/v1/pki/ca');
    expect(shown.status).toBe(200);
    expect(shown.text).not.toMatch(/PRIVATE KEY/);
    writeFileSync(join(dir, 'root.pem'), await ok(['pki', 'ca', 'show', '--root']));
    writeFileSync(join(dir, 'chain.pem'), await ok(['pki', 'ca', 'show']));

    await ok(
      ['pki', 'roles', 'put', 'web', '--domain', 'localhost,example.test', '--bare', '--ip-sans'].concat([
        '--key-type',
        'ec-p256,rsa-2048',
        '--max-ttl',
        '2h',
        '--ttl',
        '1h',
      ]),
    );
    expect(JSON.parse(await ok(['pki', 'roles', 'list', '--json']))).toEqual({ roles: ['web'] });

    const out = join(dir, 'web');
    const issued = JSON.parse(
      await ok(
        [
          'pki',
          'issue',
          'web',
          '--cn',
          'localhost',
          '--san',
          '127.0.0.1,api.example.test',
          '--ttl',
          '1h',
        ].concat(['--out', out, '--json']),
      ),
    ) as { serial: string; notAfter: string; files: string[] };
    expect(issued.files).toEqual([`${out}.crt`, `${out}.chain.pem`, `${out}.fullchain.pem`, `${out}.key`]);
    expect(statSync(`${out}.key`).mode & 0o777).toBe(0o600);
    expect(JSON.stringify(issued)).not.toMatch(/PRIVATE KEY/);
    const lifetime = Date.parse(issued.notAfter) - Date.now();
    expect(lifetime).toBeGreaterThan(3_500_000);
    expect(lifetime).toBeLessThanOrEqual(3_600_000);
    const verified = openssl(['verify', '-CAfile', 'root.pem', '-untrusted', 'web.chain.pem', 'web.crt']);
    expect(verified.stdout).toBe('web.crt: OK\n');
    const text = openssl(['x509', '-in', 'web.crt', '-noout', '-text']).stdout;
    expect(text).toContain('DNS:localhost, DNS:api.example.test, IP Address:127.0.0.1');
    expect(text).toContain(`URI:${server.url}/v1/pki/crl`);
    expect(text).toContain(`Serial Number:`);
    // The key written is the certificate's key.
    const keyPub = execFileSync('openssl', ['pkey', '-in', 'web.key', '-pubout'], {
      cwd: dir,
      encoding: 'utf8',
    });
    const certPub = execFileSync('openssl', ['x509', '-in', 'web.crt', '-noout', '-pubkey'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(keyPub).toBe(certPub);
  });

  it('refuses names, TTLs and key types outside the role with a coded 400, and a wrong token with 403', async () => {
    for (const [args, why] of [
      [['--cn', 'evil.test'], /does not allow the name "evil.test"/],
      [['--cn', 'localhost', '--ttl', '3h'], /at most 7200 seconds/],
      [['--cn', 'localhost', '--key-type', 'ed25519'], /does not allow ed25519 keys/],
    ] as const) {
      const run = await hush(['pki', 'issue', 'web', ...args]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(why);
      expect(run.stderr).toMatch(/HUSH_E_PKI_ROLE_BOUNDS/);
      expect(run.stdout).toBe('');
    }
    const http = await api(server, root, 'POST', '/v1/pki/issue/web', { commonName: 'x.evil.test' });
    expect(http.status).toBe(400);
    expect(http.json).toMatchObject({ error: { code: 'HUSH_E_PKI_ROLE_BOUNDS' } });
    const missing = await api(server, root, 'POST', '/v1/pki/issue/nope', { commonName: 'localhost' });
    expect(missing.status).toBe(404);
    const anonymous = await api(server, undefined, 'POST', '/v1/pki/issue/web', { commonName: 'localhost' });
    expect(anonymous.status).toBe(401);
  });

  it('signs a CSR made by openssl, and refuses one whose key type the role does not allow', async () => {
    execFileSync(
      'openssl',
      ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'csr.key', '-out', 'app.csr'].concat([
        '-subj',
        '/CN=app.example.test',
        '-addext',
        'subjectAltName=DNS:app.example.test',
      ]),
      { cwd: dir, stdio: 'ignore' },
    );
    await ok([
      'pki',
      'sign',
      'web',
      '--csr',
      join(dir, 'app.csr'),
      '--ttl',
      '30m',
      '--out',
      join(dir, 'app'),
    ]);
    expect(openssl(['verify', '-CAfile', 'root.pem', '-untrusted', 'chain.pem', 'app.crt']).stdout).toBe(
      'app.crt: OK\n',
    );
    expect(openssl(['x509', '-in', 'app.crt', '-noout', '-subject']).stdout).toMatch(
      /CN ?= ?app\.example\.test/,
    );
    execFileSync(
      'openssl',
      ['req', '-new', ...newKeyArgs('ec:P-384'), '-nodes', '-keyout', 'p384.key'].concat([
        '-out',
        'p384.csr',
        '-subj',
        '/CN=app.example.test',
      ]),
      { cwd: dir, stdio: 'ignore' },
    );
    const refused = await hush(['pki', 'sign', 'web', '--csr', join(dir, 'p384.csr')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/HUSH_E_PKI_ROLE_BOUNDS.*|does not allow ec-p384 keys/);
    writeFileSync(
      join(dir, 'garbage.csr'),
      '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n',
    );
    const garbage = await hush(['pki', 'sign', 'web', '--csr', join(dir, 'garbage.csr')]);
    expect(garbage.code).toBe(2);
    expect(garbage.stderr).toMatch(/certificate signing request was refused/);
  });

  it('a real TLS server serving an issued certificate is probed valid, and issued certificates are in the inventory', async () => {
    const s = await tlsServer(
      readFileSync(join(dir, 'web.fullchain.pem'), 'utf8'),
      readFileSync(join(dir, 'web.key'), 'utf8'),
    );
    tls.push(s);
    await ok(['certs', 'probe', `127.0.0.1:${s.port}`, '--servername', 'localhost']);
    const listed = JSON.parse(await ok(['certs', 'list', '--json'])) as { certificates: CertSummary[] };
    const leaf = listed.certificates.find((c) => c.subject === 'CN=localhost');
    expect(leaf?.locations).toEqual(expect.arrayContaining(['pki:web', `localhost@127.0.0.1:${s.port}`]));
    expect(leaf?.findings).toEqual([]);
    expect(listed.certificates.find((c) => c.subject === 'CN=app.example.test')?.locations).toEqual([
      'pki:web',
    ]);
  });

  it('revokes a serial: the public CRL (DER and PEM) lists it and openssl verify -crl_check refuses only it', async () => {
    const serial = openssl(['x509', '-in', 'app.crt', '-noout', '-serial']).stdout.trim().split('=')[1] ?? '';
    const revoked = await hush(['pki', 'revoke', serial, '--json']);
    expect(revoked.code).toBe(0);
    const unknown = await hush(['pki', 'revoke', 'ABCDEF']);
    expect(unknown.code).toBe(3);
    const der = await fetch(`${server.url}/v1/pki/crl`);
    expect(der.status).toBe(200);
    expect(der.headers.get('content-type')).toBe('application/pkix-crl');
    writeFileSync(join(dir, 'crl.der'), Buffer.from(await der.arrayBuffer()));
    const read = readDerCrl(dir, 'crl.der', 'chain.pem');
    expect(read.stderr).toMatch(/verify OK/);
    expect(read.stdout.replace(/\s+/g, ' ')).toContain(`Serial Number: ${serial}`);
    const pem = await fetch(`${server.url}/v1/pki/crl/pem`);
    writeFileSync(join(dir, 'crl.pem'), await pem.text());
    writeFileSync(join(dir, 'full.pem'), readFileSync(join(dir, 'chain.pem')));
    const bad = verifyWithCrl(dir, 'full.pem', 'crl.pem', 'app.crt');
    expect(bad.status).not.toBe(0);
    expect(`${bad.stdout}${bad.stderr}`).toMatch(/certificate revoked/);
    const good = verifyWithCrl(dir, 'full.pem', 'crl.pem', 'web.crt');
    expect(good.stdout).toBe('web.crt: OK\n');
  });
});
