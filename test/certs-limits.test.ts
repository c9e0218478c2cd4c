import { generateKeyPairSync, type KeyObject, randomBytes, X509Certificate } from 'node:crypto';
import { expect, it } from 'vitest';
import { CERTS_VIEW, createCertService, MAX_CERTS_PER_INPUT } from '../src/certs/index.js';
import { certsConfigSchema } from '../src/core/certs/certs-config.js';
import { chainOf, MAX_ISSUER_CANDIDATES } from '../src/core/certs/chain.js';
import { toPem } from '../src/core/certs/pem.js';
import { buildCertificate } from '../src/core/certs/x509-build.js';
import { openSealedView } from '../src/store/sealed-view/index.js';
import { useFileStore } from './support/test-store.js';

const fx = useFileStore('certs-limits');

const spki = (k: KeyObject) => new Uint8Array(k.export({ type: 'spki', format: 'der' }));
const issuerKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
/** A certificate for `cn` issued (by name and key) by `issuer`; self-signed when no issuer key is given. */
function cert(cn: string, issuer = cn, key = issuerKeys.privateKey, pub = issuerKeys.publicKey, ca = false) {
  const own = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const der = buildCertificate(
    {
      serial: randomBytes(8),
      issuer: [{ type: 'CN', value: issuer }],
      subject: [{ type: 'CN', value: cn }],
      notBefore: new Date(Date.now() - 60_000),
      notAfter: new Date(Date.now() + 90 * 86_400_000),
      spki: ca ? spki(pub) : spki(own.publicKey),
      issuerSpki: spki(pub),
      ...(ca ? { ca: {} } : { altNames: { dns: [`${cn}.example`] } }),
    },
    key,
  );
  return toPem('CERTIFICATE', der);
}

it('the inventory stops growing at certs.maxItems with a per-item HUSH_E_TOO_LARGE; known certificates still update', async () => {
  const certs = createCertService({
    records: openSealedView(fx.store.readBackend, fx.store.barrier, CERTS_VIEW),
    config: certsConfigSchema.parse({ maxItems: 10 }),
  });
  const first = await certs.ingest(
    Array.from({ length: 10 }, (_, i) => ({
      source: 'upload' as const,
      location: `f${i}`,
      pem: cert(`c${i}`),
    })),
  );
  expect(first).toMatchObject({ added: 10, failed: 0 });
  const known = first.items[0]?.fingerprints[0];
  const more = await certs.ingest([
    { source: 'upload', location: 'again', pem: (await certs.show(known ?? '')).record.pem },
    { source: 'upload', location: 'extra', pem: cert('c10') + cert('c11') },
  ]);
  expect(more).toMatchObject({ added: 0, updated: 1, failed: 1 });
  expect(more.items[1]?.error).toEqual({
    code: 'HUSH_E_TOO_LARGE',
    message: expect.stringMatching(
      /extra: the inventory holds 10 certificates.*2 new certificate\(s\) not added/,
    ),
  });
  expect((await certs.checkAll()).length).toBe(10);
});

it('one input holding more than MAX_CERTS_PER_INPUT distinct certificates is refused whole, the rest recorded', async () => {
  const certs = createCertService({
    records: openSealedView(fx.store.readBackend, fx.store.barrier, CERTS_VIEW),
    config: certsConfigSchema.parse({}),
  });
  const flood = Array.from({ length: MAX_CERTS_PER_INPUT + 1 }, (_, i) => cert(`flood${i}`)).join('');
  const report = await certs.ingest([
    { source: 'upload', location: 'flood.pem', pem: flood },
    { source: 'upload', location: 'fine.pem', pem: cert('fine') },
  ]);
  expect(report.items[0]?.error?.message).toMatch(
    /flood\.pem: holds 101 distinct certificates; one input may hold at most 100/,
  );
  expect(report).toMatchObject({ added: 1, failed: 1 });
});

it('a chain walk tries at most MAX_ISSUER_CANDIDATES certificates per issuer name, however many claim it', () => {
  const real = new X509Certificate(
    cert('Shared CA', 'Shared CA', issuerKeys.privateKey, issuerKeys.publicKey, true),
  );
  const leaf = new X509Certificate(cert('leaf', 'Shared CA'));
  const impostors = Array.from({ length: MAX_ISSUER_CANDIDATES * 4 }, () => {
    const k = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    return new X509Certificate(cert('Shared CA', 'Shared CA', k.privateKey, k.publicKey, true));
  });
  expect(chainOf(leaf, [real], [real]).status).toBe('complete');
  expect(chainOf(leaf, [real, ...impostors], []).path).toHaveLength(2);
  // Past the bound the real issuer is not reached: the walk stops as "incomplete" instead of verifying them all.
  expect(chainOf(leaf, [...impostors, real], []).status).toBe('incomplete');
  expect(chainOf(leaf, [...impostors.slice(0, MAX_ISSUER_CANDIDATES - 1), real], []).path).toHaveLength(2);
});
