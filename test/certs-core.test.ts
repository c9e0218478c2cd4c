import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCertFiles } from '../src/certs/sources/cert-files.js';
import {
  addSighting,
  chainOf,
  checkCertificate,
  hostMatches,
  k8sTlsSecrets,
  lifetimeCapDays,
  looksLikePkcs12,
  publicKeyDigests,
  readCertificates,
} from '../src/core/certs/index.js';
import { makeCa, makePkcs12, makeSelfSigned, type TestCa } from './support/openssl-certs.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

let dir: string;
let root: TestCa;
let inter: TestCa;
beforeAll(async () => {
  dir = await makeTempDir('certs-core');
  root = makeCa(dir, 'root');
  inter = root.intermediate('inter');
});
afterAll(() => removeTempDir(dir));

const x509 = (pem: string) => new X509Certificate(pem);
// openssl stamps notBefore with the second of issue: check at the time of the check, not at module load.
const nowMs = () => Date.now();

describe('reading certificates', () => {
  it('reads every block of a PEM chain with subject, SANs, key, signature and validity', () => {
    const leaf = inter.issue('web.example', {
      sans: ['DNS:web.example', 'DNS:*.web.example', 'IP:127.0.0.1'],
      key: 'ec:P-256',
    });
    const read = readCertificates(Buffer.from(`junk before\n${leaf.certPem}${inter.certPem}`));
    expect(read.errors).toEqual([]);
    expect(read.certs).toHaveLength(2);
    const [facts] = read.certs;
    expect(facts?.subject).toBe('CN=web.example');
    expect(facts?.issuer).toBe('CN=inter');
    expect(facts?.sans).toEqual(['web.example', '*.web.example', '127.0.0.1']);
    expect(facts?.keyType).toBe('ec');
    expect(facts?.keyBits).toBe(256);
    expect(facts?.signatureAlgorithm).toBe('sha256WithRSAEncryption');
    expect(facts?.fingerprintSha256).toBe(x509(leaf.certPem).fingerprint256.replace(/:/g, '').toLowerCase());
    expect(Date.parse(facts?.notAfter ?? '')).toBeGreaterThan(nowMs());
    expect(facts?.isCa).toBe(false);
    expect(read.certs[1]?.isCa).toBe(true);
  });

  it('reads DER, and tells a PKCS#12 bundle from garbage', () => {
    const leaf = root.issue('der.example');
    const der = x509(leaf.certPem).raw;
    expect(readCertificates(der).certs[0]?.subject).toBe('CN=der.example');
    const p12 = readFileSync(makePkcs12(dir, 'bundle', leaf, 'pw-1234'));
    expect(looksLikePkcs12(p12)).toBe(true);
    expect(readCertificates(p12).pkcs12).toBe(true);
    expect(readCertificates(Buffer.from('hello, not a certificate')).errors[0]).toMatch(/^DER: not an X.509/);
    const broken = `-----BEGIN CERTIFICATE-----\nAAAA${'x'.repeat(10)}\n-----END CERTIFICATE-----\n${leaf.certPem}`;
    const read = readCertificates(Buffer.from(broken));
    expect(read.errors).toEqual([expect.stringMatching(/^PEM block 1: not an X.509/)]);
    expect(read.certs).toHaveLength(1);
    expect(readCertificates(Buffer.alloc(0)).errors).toEqual(['empty input']);
  });

  it('reads extreme dates (year 9999, 1950)', () => {
    const far = root.issue('far.example', { start: '19500101000000Z', end: '99991231235959Z' });
    const [facts] = readCertificates(Buffer.from(far.certPem)).certs;
    expect(facts?.notAfter).toBe('9999-12-31T23:59:59.000Z');
    expect(facts?.notBefore).toBe('1950-01-01T00:00:00.000Z');
    expect(checkCertificate(facts!, { now: nowMs() }).map((f) => f.check)).toEqual([]);
  });
});

describe('checks', () => {
  it('expired, not yet valid, expiring stages', () => {
    const facts = (opts: Parameters<TestCa['issue']>[1], name: string) =>
      readCertificates(Buffer.from(root.issue(name, opts).certPem)).certs[0]!;
    const expired = facts({ start: '20200101000000Z', end: '20200301000000Z' }, 'old.example');
    expect(checkCertificate(expired, { now: nowMs() }).map((f) => [f.check, f.stage])).toEqual([
      ['expired', 'expired'],
    ]);
    const future = facts({ start: '20991201000000Z', end: '21000101000000Z' }, 'future.example');
    expect(checkCertificate(future, { now: nowMs() }).map((f) => f.check)).toEqual(['not-yet-valid']);
    const soon = facts({ days: 10 }, 'soon.example');
    const f = checkCertificate(soon, { now: nowMs() });
    expect(f.map((x) => [x.check, x.stage])).toEqual([['expiring', 'expiring-14d']]);
    expect(checkCertificate(soon, { now: nowMs(), leadDays: [3] })).toEqual([]);
  });

  it('weak keys, SHA-1 signatures and the lifetime cap at issue date', () => {
    const weak = readCertificates(
      Buffer.from(root.issue('weak.example', { key: 'rsa:1024', md: 'sha1' }).certPem),
    ).certs[0]!;
    const checks = checkCertificate(weak, { now: nowMs() }).map((f) => f.check);
    expect(checks).toEqual(['weak-key', 'sha1-signature']);
    const p224 = readCertificates(Buffer.from(root.issue('p224.example', { key: 'ec:P-224' }).certPem))
      .certs[0]!;
    expect(checkCertificate(p224, { now: nowMs() }).map((f) => f.message)).toEqual([
      expect.stringMatching(/secp224r1.*P-256/),
    ]);
    // 300 days: allowed under the 398-day cap (issued 2025), over the 200-day cap (issued after 2026-03-15).
    const before = root.issue('y2025.example', { start: '20250601000000Z', end: '20260327000000Z' });
    const after = root.issue('y2026.example', { start: '20260401000000Z', end: '20270126000000Z' });
    const lifeChecks = (pem: string) =>
      checkCertificate(readCertificates(Buffer.from(pem)).certs[0]!, { now: Date.parse('2026-01-01') })
        .filter((x) => x.check === 'lifetime-over-cap')
        .map((x) => x.message);
    expect(lifeChecks(before.certPem)).toEqual([]);
    expect(lifeChecks(after.certPem)).toEqual([expect.stringContaining('at most 200')]);
    expect(lifetimeCapDays(Date.parse('2026-03-14T23:59:59Z'))).toBe(398);
    expect(lifetimeCapDays(Date.parse('2026-03-15T00:00:00Z'))).toBe(200);
    expect(lifetimeCapDays(Date.parse('2027-03-15T00:00:00Z'))).toBe(100);
    expect(lifetimeCapDays(Date.parse('2029-03-15T00:00:00Z'))).toBe(47);
  });

  it('hostname and chain on endpoint sightings', () => {
    expect(hostMatches(['*.example.com'], 'a.example.com')).toBe(true);
    expect(hostMatches(['*.example.com'], 'a.b.example.com')).toBe(false);
    expect(hostMatches(['example.com'], 'EXAMPLE.com.')).toBe(true);
    const leaf = inter.issue('api.example');
    const facts = readCertificates(Buffer.from(leaf.certPem)).certs[0]!;
    const anchors = [x509(root.certPem)];
    expect(chainOf(x509(leaf.certPem), [x509(inter.certPem)], anchors).status).toBe('complete');
    expect(chainOf(x509(leaf.certPem), [], anchors).status).toBe('incomplete');
    expect(chainOf(x509(leaf.certPem), [x509(inter.certPem), x509(root.certPem)], []).status).toBe(
      'untrusted',
    );
    const self = makeSelfSigned(dir, 'self.example');
    expect(chainOf(x509(self.certPem), [], anchors).status).toBe('self-signed');
    const found = checkCertificate(facts, {
      now: nowMs(),
      endpoints: [{ where: '127.0.0.1:443', host: 'other.example', chain: 'incomplete' }],
    });
    expect(found.map((f) => f.check)).toEqual(['hostname-mismatch', 'chain-incomplete']);
  });
});

describe('keys and sources', () => {
  it('matches a private key to its certificate by public key, also base64-wrapped, never a wrong one', () => {
    const a = root.issue('a.example', { key: 'ec:P-256' });
    const b = root.issue('b.example');
    const facts = readCertificates(Buffer.from(a.certPem)).certs[0]!;
    expect(publicKeyDigests(a.keyPem)).toEqual([facts.spkiSha256]);
    expect(publicKeyDigests(`tls.key: ${Buffer.from(a.keyPem).toString('base64')}`)).toEqual([
      facts.spkiSha256,
    ]);
    expect(publicKeyDigests(b.keyPem)).not.toContain(facts.spkiSha256);
    expect(publicKeyDigests('-----BEGIN PRIVATE KEY-----\ngarbage\n-----END PRIVATE KEY-----')).toEqual([]);
  });

  it('reads Kubernetes TLS Secret manifests (base64 data, stringData, several documents)', () => {
    const c = root.issue('k8s.example');
    const yaml = [
      `apiVersion: v1\nkind: Secret\ntype: kubernetes.io/tls\nmetadata: {name: web-tls, namespace: shop}\ndata:\n  tls.crt: ${Buffer.from(c.certPem).toString('base64')}\n  tls.key: ${Buffer.from(c.keyPem).toString('base64')}\n`,
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n',
      `kind: Secret\nmetadata: {name: plain}\nstringData:\n  tls.crt: |\n${c.certPem.replace(/^/gm, '    ')}`,
    ].join('---\n');
    const { secrets, errors } = k8sTlsSecrets(yaml);
    expect(errors).toEqual([]);
    expect(secrets.map((s) => [s.name, !!s.keyPem])).toEqual([
      ['shop/web-tls', true],
      ['default/plain', false],
    ]);
    expect(readCertificates(Buffer.from(secrets[1]!.certPem)).certs[0]?.subject).toBe('CN=k8s.example');
  });

  it('merges sightings by location and keeps the first time seen', () => {
    const facts = readCertificates(Buffer.from(root.certPem)).certs[0]!;
    const r1 = addSighting(undefined, facts, {
      source: 'file',
      location: 'a.pem',
      lastSeen: '2026-01-01T00:00:00.000Z',
    });
    const r2 = addSighting(r1, facts, {
      source: 'file',
      location: 'a.pem',
      lastSeen: '2026-02-01T00:00:00.000Z',
    });
    const r3 = addSighting(
      r2,
      facts,
      { source: 'endpoint', location: 'h:443', lastSeen: '2026-03-01T00:00:00.000Z' },
      { trustAnchor: true },
    );
    expect(r3.sightings.map((s) => [s.location, s.firstSeen, s.lastSeen])).toEqual([
      ['a.pem', '2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z'],
      ['h:443', '2026-03-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z'],
    ]);
    expect(r3.trustAnchor).toBe(true);
    expect(r3.lastSeen).toBe('2026-03-01T00:00:00.000Z');
  });

  it('a PEM file holding a private key beside its certificate sends only the certificate', async () => {
    const leaf = root.issue('combined.example');
    const combined = join(dir, 'combined.pem');
    writeFileSync(combined, `# haproxy bundle\n${leaf.certPem}${leaf.keyPem}${root.certPem}`);
    const keyOnly = join(dir, 'key-only.pem');
    writeFileSync(keyOnly, leaf.keyPem);
    const read = await readCertFiles([combined, keyOnly]);
    const keyLine = leaf.keyPem.split('\n')[1] ?? '?';
    expect(JSON.stringify(read)).not.toContain(keyLine);
    expect(JSON.stringify(read)).not.toContain('PRIVATE KEY-----');
    expect(read.uploads.map((u) => u.location)).toEqual([combined]);
    expect(readCertificates(Buffer.from(read.uploads[0]?.pem ?? '')).certs.map((c) => c.subject)).toEqual([
      'CN=combined.example',
      'CN=root',
    ]);
    expect(read.errors.map((e) => e.location)).toEqual([keyOnly]);
  });
});
