import { execFileSync, spawnSync } from 'node:child_process';
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  X509Certificate,
} from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkCertificate } from '../src/core/certs/cert-checks.js';
import { buildCrl } from '../src/core/certs/crl-build.js';
import { readCsr } from '../src/core/certs/csr-read.js';
import { toPem } from '../src/core/certs/pem.js';
import { checkKeyType, checkNames, checkTtl, type PkiRole } from '../src/core/certs/pki-role.js';
import { readCertificates } from '../src/core/certs/read-certs.js';
import { buildCertificate, type NameAttrs } from '../src/core/certs/x509-build.js';
import { expectHushError } from './support/expect-hush-error.js';
import { newKeyArgs, readDerCrl, verifyWithCrl } from './support/openssl-certs.js';
import { describeWithTool } from './support/require-tool.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir('pki-core');
});
afterAll(async () => {
  if (dir) await removeTempDir(dir);
});

const spki = (k: KeyObject) => new Uint8Array(k.export({ type: 'spki', format: 'der' }));
const openssl = (args: string[]) => spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
const write = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const serialOf = () => {
  const s = randomBytes(16);
  s[0] = (s[0] as number) & 0x7f;
  return s;
};

function makeCa() {
  const rootKeys = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
  const interKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const rootName: NameAttrs = [
    { type: 'O', value: 'Hush test' },
    { type: 'CN', value: 'Hush Root CA' },
  ];
  const interName: NameAttrs = [
    { type: 'O', value: 'Hush test' },
    { type: 'CN', value: 'Hush Intermediate CA' },
  ];
  const now = Date.now();
  const root = buildCertificate(
    {
      serial: serialOf(),
      issuer: rootName,
      subject: rootName,
      notBefore: new Date(now - 60_000),
      notAfter: new Date(now + 86_400_000 * 3650),
      spki: spki(rootKeys.publicKey),
      issuerSpki: spki(rootKeys.publicKey),
      ca: { pathLen: 1 },
    },
    rootKeys.privateKey,
  );
  const inter = buildCertificate(
    {
      serial: serialOf(),
      issuer: rootName,
      subject: interName,
      notBefore: new Date(now - 60_000),
      notAfter: new Date(now + 86_400_000 * 1825),
      spki: spki(interKeys.publicKey),
      issuerSpki: spki(rootKeys.publicKey),
      ca: { pathLen: 0 },
    },
    rootKeys.privateKey,
  );
  return { rootKeys, interKeys, rootName, interName, root, inter };
}

describeWithTool('openssl', 'openssl', ['version'], 'certificates and CRLs built by src/core/certs', () => {
  it('a root, an intermediate and a leaf pass openssl verify; the leaf carries its names and CRL URL', () => {
    const ca = makeCa();
    const leafKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const serial = serialOf();
    const leaf = buildCertificate(
      {
        serial,
        issuer: ca.interName,
        subject: [{ type: 'CN', value: 'web.example.com' }],
        notBefore: new Date(Date.now() - 60_000),
        notAfter: new Date(Date.now() + 3_600_000),
        spki: spki(leafKeys.publicKey),
        issuerSpki: spki(ca.interKeys.publicKey),
        altNames: { dns: ['web.example.com', 'api.example.com'], ip: ['127.0.0.1', '::1'] },
        crlUrls: ['http://127.0.0.1:8200/v1/pki/crl'],
      },
      ca.interKeys.privateKey,
    );
    const rootFile = write('root.pem', toPem('CERTIFICATE', ca.root));
    const interFile = write('inter.pem', toPem('CERTIFICATE', ca.inter));
    const leafFile = write('leaf.pem', toPem('CERTIFICATE', leaf));
    const verified = openssl(['verify', '-CAfile', rootFile, '-untrusted', interFile, leafFile]);
    expect(verified.stderr).toBe('');
    expect(verified.stdout).toContain(': OK');
    const text = openssl(['x509', '-in', leafFile, '-noout', '-text']).stdout;
    expect(text).toContain(
      'DNS:web.example.com, DNS:api.example.com, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1',
    );
    expect(text).toMatch(
      /X509v3 CRL Distribution Points:\s+Full Name:\s+URI:http:\/\/127\.0\.0\.1:8200\/v1\/pki\/crl/,
    );
    expect(text).toContain('TLS Web Server Authentication');
    expect(text).toMatch(/CA:FALSE/);
    const x = new X509Certificate(leaf);
    expect(BigInt(`0x${x.serialNumber}`)).toBe(BigInt(`0x${serial.toString('hex')}`));
    expect(x.checkHost('api.example.com')).toBe('api.example.com');
    // Changing one bit of the signed part breaks the signature, so openssl really checked it.
    const broken = Buffer.from(leaf);
    broken[40] = (broken[40] as number) ^ 1;
    write('broken.pem', toPem('CERTIFICATE', broken));
    expect(
      openssl(['verify', '-CAfile', rootFile, '-untrusted', interFile, join(dir, 'broken.pem')]).status,
    ).not.toBe(0);
  });

  it('a CRL is read by openssl crl, and openssl verify -crl_check refuses the revoked leaf only', () => {
    const ca = makeCa();
    const leaf = (cn: string, serial: Buffer) => {
      const k = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      return buildCertificate(
        {
          serial,
          issuer: ca.interName,
          subject: [{ type: 'CN', value: cn }],
          notBefore: new Date(Date.now() - 60_000),
          notAfter: new Date(Date.now() + 3_600_000),
          spki: spki(k.publicKey),
          issuerSpki: spki(ca.interKeys.publicKey),
          altNames: { dns: [cn] },
        },
        ca.interKeys.privateKey,
      );
    };
    const goodSerial = serialOf();
    const badSerial = serialOf();
    write('good.pem', toPem('CERTIFICATE', leaf('good.example.com', goodSerial)));
    write('bad.pem', toPem('CERTIFICATE', leaf('bad.example.com', badSerial)));
    const crl = buildCrl(
      {
        issuer: ca.interName,
        issuerSpki: spki(ca.interKeys.publicKey),
        number: 7,
        thisUpdate: new Date(Date.now() - 1000),
        nextUpdate: new Date(Date.now() + 86_400_000),
        revoked: [{ serial: badSerial, revokedAt: new Date() }],
      },
      ca.interKeys.privateKey,
    );
    write('crl.der', '');
    writeFileSync(join(dir, 'crl.der'), crl);
    write('crl.pem', toPem('X509 CRL', crl));
    write('inter.pem', toPem('CERTIFICATE', ca.inter));
    write('root.pem', toPem('CERTIFICATE', ca.root));
    const read = readDerCrl(dir, 'crl.der', 'inter.pem');
    expect(read.stderr).toMatch(/verify OK/);
    expect(read.stdout).toContain(`Serial Number: ${badSerial.toString('hex').toUpperCase()}`);
    expect(read.stdout).toMatch(/X509v3 CRL Number:\s+7/);
    // The chain file holds the root and intermediate; -crl_check looks up the CRL of the leaf's issuer.
    write('chain.pem', toPem('CERTIFICATE', ca.inter) + toPem('CERTIFICATE', ca.root));
    const good = verifyWithCrl(dir, 'chain.pem', 'crl.pem', 'good.pem');
    expect(good.stdout).toContain('good.pem: OK');
    const bad = verifyWithCrl(dir, 'chain.pem', 'crl.pem', 'bad.pem');
    expect(bad.status).not.toBe(0);
    expect(`${bad.stdout}${bad.stderr}`).toMatch(/certificate revoked/);
  });

  it('reads a CSR made by openssl (names, key) and refuses one whose signature was tampered with', () => {
    execFileSync(
      'openssl',
      ['req', '-new', ...newKeyArgs('ec:P-256'), '-nodes', '-keyout', 'csr.key'].concat([
        '-out',
        'req.csr',
        '-outform',
        'DER',
        '-subj',
        '/CN=app.example.com',
        '-addext',
        'subjectAltName=DNS:app.example.com,DNS:www.example.com,IP:10.0.0.1',
      ]),
      { cwd: dir, stdio: 'ignore' },
    );
    const der = new Uint8Array(readFileSync(join(dir, 'req.csr')));
    const req = readCsr(der);
    expect(req).toMatchObject({
      commonName: 'app.example.com',
      dns: ['app.example.com', 'www.example.com'],
      ip: ['10.0.0.1'],
    });
    const key = createPublicKey(createPrivateKey(readFileSync(join(dir, 'csr.key'))));
    expect(Buffer.from(req.spki).equals(key.export({ type: 'spki', format: 'der' }) as Buffer)).toBe(true);
    const tampered = Buffer.from(der);
    const at = tampered.indexOf(Buffer.from('www.example.com'));
    tampered[at] = 'v'.charCodeAt(0);
    expect(() => readCsr(tampered)).toThrow(/signature does not verify/);
    expect(() => readCsr(new Uint8Array([0x30, 0x03, 0x02, 0x01]))).toThrow();
  });
});

const role: PkiRole = {
  name: 'web',
  allowedDomains: ['example.com', 'web-*.internal'],
  allowBareDomains: false,
  allowSubdomains: true,
  allowGlobs: true,
  allowWildcards: false,
  allowIpSans: false,
  keyTypes: ['ec-p256'],
  maxTtlSeconds: 86_400,
  ttlSeconds: 3_600,
  usages: ['server'],
};

it('role bounds: subdomains and globs pass; other names, IPs, wildcards, long TTLs and key types are refused', () => {
  expect(checkNames(role, 'a.example.com', ['b.c.example.com', 'web-1.internal'])).toEqual({
    dns: ['a.example.com', 'b.c.example.com', 'web-1.internal'],
    ip: [],
  });
  expect(
    expectHushError(() => checkNames(role, 'example.com', []), 'HUSH_E_PKI_ROLE_BOUNDS').message,
  ).toMatch(/does not allow the name "example.com"/);
  expectHushError(() => checkNames(role, 'evil.com', []), 'HUSH_E_PKI_ROLE_BOUNDS');
  expectHushError(() => checkNames(role, 'notexample.com', []), 'HUSH_E_PKI_ROLE_BOUNDS');
  expectHushError(() => checkNames(role, 'web-1.a.internal', []), 'HUSH_E_PKI_ROLE_BOUNDS');
  expectHushError(() => checkNames(role, '*.example.com', []), 'HUSH_E_PKI_ROLE_BOUNDS');
  expect(checkNames({ ...role, allowWildcards: true }, '*.example.com', []).dns).toEqual(['*.example.com']);
  expect(
    expectHushError(() => checkNames(role, 'a.example.com', ['10.0.0.1']), 'HUSH_E_PKI_ROLE_BOUNDS').message,
  ).toMatch(/IP/);
  expectHushError(() => checkNames(role, 'bad name', []), 'HUSH_E_INVALID_INPUT');
  expectHushError(() => checkNames(role, undefined, []), 'HUSH_E_INVALID_INPUT');
  expect(checkTtl(role, undefined)).toBe(3600);
  expect(expectHushError(() => checkTtl(role, 86_401), 'HUSH_E_PKI_ROLE_BOUNDS').message).toMatch(
    /at most 86400 seconds/,
  );
  expect(expectHushError(() => checkKeyType(role, 'rsa-2048'), 'HUSH_E_PKI_ROLE_BOUNDS').message).toMatch(
    /rsa-2048/,
  );
});

it('a short-lived certificate is not "expiring" from birth: only once past 5/6 of its life (renewal overdue)', () => {
  const k = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const start = Date.now();
  const der = buildCertificate(
    {
      serial: serialOf(),
      issuer: [{ type: 'CN', value: 'short' }],
      subject: [{ type: 'CN', value: 'short' }],
      notBefore: new Date(start),
      notAfter: new Date(start + 3_600_000),
      spki: spki(k.publicKey),
      issuerSpki: spki(k.publicKey),
      altNames: { dns: ['short.example'] },
    },
    k.privateKey,
  );
  const [facts] = readCertificates(Buffer.from(der)).certs;
  const stages = (at: number) => checkCertificate(facts!, { now: at }).map((f) => f.stage);
  expect(stages(start + 60_000)).toEqual([]);
  expect(stages(start + 2_400_000)).toEqual([]); // 2/3: the renewal point
  expect(stages(start + 3_100_000)).toEqual(['expiring-overdue']);
  expect(stages(start + 3_600_000)).toEqual(['expired']);
});
