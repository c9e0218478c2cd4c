import { expect, it } from 'vitest';
import { CERTS_VIEW, createCertService } from '../src/certs/index.js';
import { certsConfigSchema } from '../src/core/certs/certs-config.js';
import { createPki } from '../src/pki/index.js';
import { openSealedView } from '../src/store/sealed-view/index.js';
import { expectHushErrorAsync } from './support/expect-hush-error.js';
import { useFileStore } from './support/test-store.js';

const fx = useFileStore('pki-service');

it('CA keys are only in sealed records; renewal history is forgotten a day after expiry, in the CA and the inventory', async () => {
  let now = Date.now();
  const clock = () => new Date(now);
  const certs = createCertService({
    records: openSealedView(fx.store.readBackend, fx.store.barrier, CERTS_VIEW),
    config: certsConfigSchema.parse({}),
    clock,
  });
  const pki = createPki({
    readBackend: fx.store.readBackend,
    barrier: fx.store.barrier,
    clock,
    onIssued: async (c, role) => {
      await certs.ingest([{ source: 'pki', location: `pki:${role}`, pem: c.certificate + c.chain.join('') }]);
    },
    onCaCreated: async (ca) => {
      await certs.ingest([{ source: 'pki', location: 'pki:ca', pem: ca.root }], { trustAnchor: true });
    },
  });
  await expectHushErrorAsync(pki.issuer.issue('web', { commonName: 'a.example.test' }), 'HUSH_E_NOT_FOUND');
  await pki.ca.init({});
  await expectHushErrorAsync(pki.ca.init({}), 'HUSH_E_ALREADY_EXISTS');
  await pki.roles.put('web', { allowedDomains: ['example.test'] });
  const issued = await pki.issuer.issue('web', { commonName: 'a.example.test', ttlSeconds: 3600 });
  // Storage holds no key material in the clear: every row under pki/ is an AES-GCM envelope.
  const rows = await fx.store.readBackend.list('pki/', {});
  expect(rows.keys).toEqual(expect.arrayContaining(['pki/ca', 'pki/roles/web']));
  for (const key of rows.keys) {
    const raw = Buffer.from((await fx.store.readBackend.get(key))?.value ?? []);
    expect(raw.toString('latin1')).not.toMatch(/PRIVATE KEY|BEGIN|example\.test/);
  }
  const fingerprints = async () => (await certs.checkAll()).map((c) => c.record.fingerprintSha256);
  expect(await fingerprints()).toContain(issued.fingerprintSha256);
  now += 3_600_000 + 86_400_000 + 1000;
  expect(await certs.pruneIssued()).toBe(1);
  expect(await fingerprints()).not.toContain(issued.fingerprintSha256);
  // The root (a trust anchor) and the intermediate stay.
  expect((await fingerprints()).length).toBe(2);
  expect(await pki.issuer.tidy()).toBe(1);
  await expectHushErrorAsync(pki.revocation.revoke(issued.serial), 'HUSH_E_NOT_FOUND');
  // Sealing drops the decrypted records and keys: nothing is served until unsealed.
  await fx.store.seal();
  await expect(pki.ca.show()).rejects.toThrow();
});
