import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { createCertRenewals } from '../src/inject/cert-renewals.js';
import { parseTemplate } from '../src/inject/template-parse.js';
import { renderTemplate } from '../src/inject/template-render.js';
import { createPki, type Pki } from '../src/pki/index.js';
import { expectHushErrorAsync } from './support/expect-hush-error.js';
import { newKeyArgs } from './support/openssl-certs.js';
import { describeWithTool } from './support/require-tool.js';
import { useFileStore } from './support/test-store.js';

const fx = useFileStore('pki-review');
let pki: Pki;
let now = Date.now();
beforeAll(async () => {
  pki = createPki({
    readBackend: fx.store.readBackend,
    barrier: fx.store.barrier,
    clock: () => new Date(now),
  });
  await pki.ca.init({ intermediateTtlDays: 30 });
  await pki.roles.put('web', {
    allowedDomains: ['example.test'],
    allowBareDomains: true,
    maxTtlSeconds: 86_400,
  });
}, 60_000);

const openssl = (args: readonly string[], input?: string) =>
  spawnSync('openssl', args, { encoding: 'utf8', ...(input === undefined ? {} : { input }) });

it('one render places the cert and the key of the same issuance, even when renewal falls due between directives', async () => {
  let clock = Date.now();
  const renewals = createCertRenewals(
    (r) => pki.issuer.issue(r.role, { commonName: r.names[0] as string, ttlSeconds: r.ttlSeconds ?? 60 }),
    () => clock,
  );
  // Every lookup takes a while: the 60 s certificate's renewal point passes between `cert` and `key`.
  const certs = {
    get: async (r: Parameters<typeof renewals.get>[0]) => {
      const issued = await renewals.get(r);
      clock += 50_000;
      return issued;
    },
  };
  const nodes = parseTemplate(
    '{{ pki "web" "a.example.test" "cert" "60s" }}{{ pki "web" "a.example.test" "key" "60s" }}',
  );
  const text = await renderTemplate(nodes, { env: {}, readSecret: async () => '', certs });
  const { X509Certificate, createPrivateKey, createPublicKey } = await import('node:crypto');
  const cert = new X509Certificate(text.slice(0, text.indexOf('-----END CERTIFICATE-----') + 26));
  const key = createPrivateKey(text.slice(text.indexOf('-----BEGIN PRIVATE KEY-----')));
  expect(cert.publicKey.export({ type: 'spki', format: 'pem' })).toBe(
    createPublicKey(key).export({ type: 'spki', format: 'pem' }),
  );
});

describeWithTool('openssl', 'openssl', ['version'], 'issued certificates under openssl', () => {
  it('a CSR asking for CA:TRUE, code signing and name constraints gets a plain server leaf that verifies strictly', async () => {
    const key = join(fx.dir, 'csr.key');
    const cnf = join(fx.dir, 'csr.cnf');
    writeFileSync(
      cnf,
      [
        '[req]',
        'distinguished_name=dn',
        'req_extensions=ext',
        'prompt=no',
        '[dn]',
        'CN=a.example.test',
        '[ext]',
        'basicConstraints=critical,CA:TRUE',
        'keyUsage=critical,keyCertSign,cRLSign,digitalSignature',
        'extendedKeyUsage=codeSigning,serverAuth',
        'nameConstraints=critical,permitted;DNS:example.test',
        'subjectAltName=DNS:a.example.test',
        '',
      ].join('\n'),
    );
    const made = openssl([
      'req',
      '-new',
      ...newKeyArgs('ec:P-256'),
      '-nodes',
      '-keyout',
      key,
      '-config',
      cnf,
    ]);
    expect(made.status, made.stderr).toBe(0);
    const issued = await pki.issuer.sign('web', made.stdout);
    const text = openssl(['x509', '-noout', '-text'], issued.certificate).stdout;
    expect(text).toMatch(/CA:FALSE/);
    expect(text).not.toMatch(/Code Signing|Certificate Sign|Name Constraints/);
    expect(text).toMatch(/TLS Web Server Authentication/);
    const chain = join(fx.dir, 'chain.pem');
    writeFileSync(chain, issued.chain.join(''));
    const root = join(fx.dir, 'root.pem');
    writeFileSync(root, issued.chain[1] as string);
    const leaf = join(fx.dir, 'leaf.pem');
    writeFileSync(leaf, issued.certificate);
    const v = openssl([
      'verify',
      '-x509_strict',
      '-purpose',
      'sslserver',
      '-CAfile',
      root,
      '-untrusted',
      issued.chain[0] ? chain : root,
      leaf,
    ]);
    expect(v.stdout + v.stderr).toMatch(/leaf\.pem: OK/);
  });

  it('a CSR whose self-signature was tampered with is refused with a coded error', async () => {
    const made = openssl([
      'req',
      '-new',
      ...newKeyArgs('ec:P-256'),
      '-nodes',
      '-keyout',
      join(fx.dir, 't.key'),
      '-subj',
      '/CN=a.example.test',
    ]);
    const b64 = made.stdout.replace(/-----[^-]+-----|\s/g, '');
    const der = Buffer.from(b64, 'base64');
    der[der.length - 5] = (der[der.length - 5] as number) ^ 0x01;
    const err = await expectHushErrorAsync(pki.issuer.sign('web', der), 'HUSH_E_INVALID_INPUT');
    expect(err.message).toMatch(/signature does not verify/);
  });

  it('revocation: the CRL verifies with openssl, lists the serial once after a double revoke', async () => {
    const issued = await pki.issuer.issue('web', { commonName: 'b.example.test' });
    await pki.revocation.revoke(issued.serial);
    await pki.revocation.revoke(issued.serial);
    const crl = await pki.revocation.crl();
    const inter = join(fx.dir, 'inter.pem');
    writeFileSync(inter, issued.chain[0] as string);
    const v = openssl(['crl', '-noout', '-text', '-CAfile', inter, '-verify'], crl.pem);
    expect(v.stderr + v.stdout).toMatch(/verify OK/);
    expect((v.stdout.match(new RegExp(issued.serial.replace(/:/g, ''), 'g')) ?? []).length).toBe(1);
  });
});

it('role bounds: case, trailing dots, suffix tricks, wildcards and IPs', async () => {
  await pki.roles.put('sub', { allowedDomains: ['example.test'], allowSubdomains: true });
  const ok = async (name: string) => (await pki.issuer.issue('sub', { commonName: name })).serial;
  const bad = async (name: string) => {
    await expect(pki.issuer.issue('sub', { commonName: name })).rejects.toMatchObject({
      code: expect.stringMatching(/HUSH_E_/),
    });
  };
  expect(await ok('A.Example.Test')).toBeTruthy();
  for (const n of [
    'example.test',
    'a.example.test.',
    'aexample.test',
    'example.test.evil.com',
    '*.example.test',
    '*.*.example.test',
    'a.*.example.test',
    '127.0.0.1',
    'a..example.test',
    'ａ.example.test',
    '\u212Aa.example.test.evil',
  ])
    await bad(n);
});

it('refuses to issue once the intermediate has expired instead of signing an already-expired certificate', async () => {
  const saved = now;
  now = Date.now() + 31 * 86_400_000;
  try {
    await expect(pki.issuer.issue('web', { commonName: 'c.example.test' })).rejects.toMatchObject({
      code: 'HUSH_E_PKI_ROLE_BOUNDS',
    });
  } finally {
    now = saved;
  }
});

describeWithTool('openssl', 'openssl', ['version'], 'leaf key usage follows the key type', () => {
  it('EC and Ed25519 leaves carry no keyEncipherment (RFC 5480, RFC 8410); RSA leaves do', async () => {
    await pki.roles.put('kinds', {
      allowedDomains: ['example.test'],
      keyTypes: ['ec-p256', 'ed25519', 'rsa-2048'],
    });
    const usage = async (keyType: string) => {
      const issued = await pki.issuer.issue('kinds', { commonName: 'k.example.test', keyType });
      const text = openssl(['x509', '-noout', '-ext', 'keyUsage'], issued.certificate).stdout;
      return text.split('\n').slice(1).join(' ').trim();
    };
    expect(await usage('ec-p256')).toBe('Digital Signature');
    expect(await usage('ed25519')).toBe('Digital Signature');
    expect(await usage('rsa-2048')).toBe('Digital Signature, Key Encipherment');
  });
});

describeWithTool('openssl', 'openssl', ['version'], 'names longer than a CN may be', () => {
  it('a first name over 64 characters stays out of the CN (ub-common-name) and the SAN extension becomes critical', async () => {
    const long = `${'a'.repeat(60)}.example.test`;
    const issued = await pki.issuer.issue('web', { commonName: long, ttlSeconds: 3600 });
    const subject = openssl(['x509', '-noout', '-subject'], issued.certificate).stdout;
    expect(subject).not.toContain(long);
    const san = openssl(['x509', '-noout', '-ext', 'subjectAltName'], issued.certificate).stdout;
    expect(san).toMatch(/Subject Alternative Name: critical/);
    expect(san).toContain(`DNS:${long}`);
    const short = await pki.issuer.issue('web', { commonName: 'a.example.test' });
    expect(openssl(['x509', '-noout', '-subject'], short.certificate).stdout).toMatch(
      /CN ?= ?a\.example\.test/,
    );
  });
});
