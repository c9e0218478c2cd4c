import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { serverConfigSchema } from '../src/config/server-config-schema.js';
import { createPki } from '../src/pki/index.js';
import { expectHushErrorAsync } from './support/expect-hush-error.js';
import { newKeyArgs } from './support/openssl-certs.js';
import { useFileStore } from './support/test-store.js';

const fx = useFileStore('pki-issued-limit');

it('pki.maxIssued is a real setting: past it issue and CSR signing fail with a coded error naming it, until records are tidied', async () => {
  const parsed = serverConfigSchema.parse({ pki: { maxIssued: 2 } });
  expect(parsed.pki).toEqual({ maxIssued: 2 });
  expect(serverConfigSchema.parse({}).pki.maxIssued).toBe(100_000);
  expect(serverConfigSchema.safeParse({ pki: { maxIssued: 0 } }).success).toBe(false);

  let now = Date.now();
  const pki = createPki({
    readBackend: fx.store.readBackend,
    barrier: fx.store.barrier,
    clock: () => new Date(now),
    maxIssued: parsed.pki.maxIssued,
  });
  await pki.ca.init({});
  await pki.roles.put('web', { allowedDomains: ['example.test'] });
  await pki.issuer.issue('web', { commonName: 'a.example.test', ttlSeconds: 3600 });
  await pki.issuer.issue('web', { commonName: 'b.example.test', ttlSeconds: 3600 });
  const err = await expectHushErrorAsync(
    pki.issuer.issue('web', { commonName: 'c.example.test', ttlSeconds: 3600 }),
    'HUSH_E_TOO_LARGE',
  );
  expect(err.message).toContain('the CA has issued 2 certificates still on record; the limit is 2');
  expect(err.hint).toContain('pki.maxIssued');

  // A CSR (made by the real openssl CLI) is refused the same way, before anything is signed.
  execFileSync(
    'openssl',
    [
      'req',
      '-new',
      ...newKeyArgs('ec:P-256'),
      '-nodes',
      '-keyout',
      'r.key',
      '-out',
      'r.csr',
      '-subj',
      '/CN=d.example.test',
    ],
    { cwd: fx.dir, stdio: 'ignore' },
  );
  const csr = readFileSync(join(fx.dir, 'r.csr'), 'utf8');
  await expectHushErrorAsync(pki.issuer.sign('web', csr), 'HUSH_E_TOO_LARGE');
  expect((await fx.store.readBackend.list('pki/issued/', {})).keys).toHaveLength(2);

  // A day after they expire the tidy job forgets them, and there is room again.
  now += 3_600_000 + 86_400_000 + 1000;
  expect(await pki.issuer.tidy()).toBe(2);
  const signed = await pki.issuer.sign('web', csr, { ttlSeconds: 3600 });
  expect(signed.certificate).toContain('BEGIN CERTIFICATE');
});
