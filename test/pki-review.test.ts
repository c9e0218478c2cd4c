import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCertRenewals } from '../src/inject/cert-renewals.js';
import { parseTemplate } from '../src/inject/template-parse.js';
import { renderTemplate } from '../src/inject/template-render.js';
import { createPki, type Pki } from '../src/pki/index.js';
import { KeyFileSeal } from '../src/seal/key-file/key-file-seal.js';
import { openSqliteBackend } from '../src/storage/sqlite/sqlite-backend.js';
import { createStore, type HushStore } from '../src/store/index.js';
import { expectHushErrorAsync } from './support/expect-hush-error.js';
import { describeWithTool } from './support/require-tool.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

let dir: string;
let store: HushStore;
let pki: Pki;
const now = Date.now();
beforeAll(async () => {
  dir = await makeTempDir('pki-review');
  const backend = await openSqliteBackend({ path: join(dir, 'hush.db') });
  store = createStore({ backend, seal: new KeyFileSeal({ path: join(dir, 'root.key') }) });
  await store.init();
  pki = createPki({ readBackend: store.readBackend, barrier: store.barrier, clock: () => new Date(now) });
  await pki.ca.init({ intermediateTtlDays: 30 });
  await pki.roles.put('web', {
    allowedDomains: ['example.test'],
    allowBareDomains: true,
    maxTtlSeconds: 86_400,
  });
}, 60_000);
afterAll(async () => {
  await store?.close();
  if (dir) await removeTempDir(dir);
});

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
