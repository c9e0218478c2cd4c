import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertsConfigSchema, createAlerting } from '../src/alerts/index.js';
import {
  CERTS_VIEW,
  certProbeJob,
  createCertAlerter,
  createCertMetrics,
  createCertService,
} from '../src/certs/index.js';
import { startBackgroundJobs } from '../src/cluster/background-jobs.js';
import type { Leadership } from '../src/cluster/leadership.js';
import { certsConfigSchema } from '../src/core/certs/certs-config.js';
import { MAX_CHAIN_LENGTH } from '../src/core/certs/chain.js';
import { KeyFileSeal } from '../src/seal/key-file/key-file-seal.js';
import { openSqliteBackend } from '../src/storage/sqlite/sqlite-backend.js';
import { createStore, type HushStore } from '../src/store/index.js';
import { openSealedView } from '../src/store/sealed-view/index.js';
import { makeCa, type TestCa } from './support/openssl-certs.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';
import { type LoopbackServer, tlsServer } from './support/tls-servers.js';

let dir: string;
let ca: TestCa;
let store: HushStore;
const servers: LoopbackServer[] = [];
beforeAll(async () => {
  dir = await makeTempDir('certs-service');
  ca = makeCa(join(dir, 'pki'), 'svc-root');
  const backend = await openSqliteBackend({ path: join(dir, 'hush.db') });
  store = createStore({ backend, seal: new KeyFileSeal({ path: join(dir, 'root.key') }) });
  await store.init();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await store.close();
  await removeTempDir(dir);
});

describe('certificate service over a real SQLite store', () => {
  it('the leader-only job probes remembered endpoints, follows a renewal, and alerts once per expiry stage', async () => {
    let now = new Date();
    const certs = createCertService({
      records: openSealedView(store.readBackend, store.barrier, CERTS_VIEW),
      config: certsConfigSchema.parse({}),
      clock: () => now,
    });
    const logged: string[] = [];
    const alerting = createAlerting({
      config: alertsConfigSchema.parse({}),
      logger: {
        info: () => undefined,
        warn: (_o: unknown, m: string) => void logged.push(m),
        error: (_o: unknown, m: string) => void logged.push(m),
      },
    });
    const alerter = createCertAlerter(alerting);
    const old = ca.issue('renew.svc', { days: 40 });
    const first = await tlsServer(old.certPem, old.keyPem);
    servers.push(first);
    const target = { host: '127.0.0.1', port: first.port, servername: 'renew.svc' };
    expect((await certs.probe([target], { remember: true })).failed).toBe(0);
    const once = ca.issue('once.svc');
    const other = await tlsServer(once.certPem, once.keyPem);
    servers.push(other);
    await certs.probe([{ host: '127.0.0.1', port: other.port, servername: 'once.svc' }]); // not remembered

    let leader = false;
    const leadership: Leadership = { isLeader: () => leader, close: async () => undefined };
    let passes = 0;
    const job = certProbeJob({
      certs: {
        probeRemembered: async () => {
          passes++;
          return certs.probeRemembered();
        },
        checkAll: certs.checkAll,
      },
      intervalMs: 3_600_000,
      onChecked: (checked) => void alerter.notify(checked),
    });
    const jobs = startBackgroundJobs([job], leadership, { warn: () => undefined });
    await jobs.runNow();
    expect(passes).toBe(0); // not the leader: nothing dialled
    leader = true;
    await jobs.runNow();
    expect(passes).toBe(1);
    expect((await certs.endpoints()).map((e) => [e.target.servername, e.scheduled ?? false])).toEqual(
      expect.arrayContaining([
        ['renew.svc', true],
        ['once.svc', false],
      ]),
    );

    // 40 days out: no stage yet. 20 days out: the 30-day stage, once however many passes.
    const expiryAlerts = () =>
      alerting.alerts().filter((a) => a.rule === 'certificate-expiry' && a.message.includes('renew.svc'));
    await jobs.runNow();
    expect(expiryAlerts()).toHaveLength(0);
    now = new Date(Date.now() + 20 * 86_400_000);
    await jobs.runNow();
    await jobs.runNow();
    expect(expiryAlerts().map((a) => a.message)).toEqual([expect.stringContaining('stage expiring-30d')]);
    now = new Date(Date.now() + 35 * 86_400_000);
    await jobs.runNow();
    expect(expiryAlerts().map((a) => a.severity)).toEqual(['warning', 'critical']);

    // The endpoint is renewed (now serving a new certificate on another port behind the same name is not the
    // same endpoint, so renew in place: stop the old server and serve the new certificate on its port).
    now = new Date();
    await first.close();
    const fresh = ca.issue('renew.svc', { days: 90 });
    const second = await tlsServerOn(first.port, fresh.certPem, fresh.keyPem);
    servers.push(second);
    await jobs.runNow();
    const checked = await certs.checkAll();
    const byDays = (d: number) =>
      checked.find((c) => c.record.subject === 'CN=renew.svc' && Math.abs(c.daysLeft - d) <= 1);
    expect(byDays(39)?.live).toBe(false);
    expect(byDays(39)?.findings).toEqual([]);
    expect(byDays(89)?.live).toBe(true);
    await jobs.stop();
    await alerting.close();
  });

  it('a bundle repeating certificates stores each once, and a sighting keeps a bounded chain', async () => {
    const certs = createCertService({
      records: openSealedView(store.readBackend, store.barrier, CERTS_VIEW),
      config: certsConfigSchema.parse({}),
    });
    const leaf = ca.issue('repeat.svc', { key: 'ec:P-256' });
    // 2 MiB of the same CA certificate after a leaf: without deduplication that is thousands of writes, each
    // storing the leaf's "chain" of every copy (quadratic in the body).
    const copies = Math.floor((2 * 1024 * 1024) / ca.certPem.length) - 1;
    const rep = await certs.ingest([
      { source: 'upload', location: 'repeat.pem', pem: leaf.certPem + ca.certPem.repeat(copies) },
    ]);
    expect(rep.items[0]?.fingerprints).toHaveLength(2);
    const others = Array.from({ length: 14 }, (_, i) => ca.issue(`bundle-${i}.svc`, { key: 'ec:P-256' }));
    await certs.ingest([
      { source: 'upload', location: 'bundle.pem', pem: leaf.certPem + others.map((o) => o.certPem).join('') },
    ]);
    const rec = (await certs.checkAll()).find((c) => c.record.subject === 'CN=repeat.svc')?.record;
    const chains = Object.fromEntries(rec?.sightings.map((s) => [s.location, s.chain?.length]) ?? []);
    expect(chains).toEqual({ 'repeat.pem': 1, 'bundle.pem': MAX_CHAIN_LENGTH });
  });

  it('keeps inventory records sealed: no subject, SAN or PEM text in the storage file', async () => {
    const certs = createCertService({
      records: openSealedView(store.readBackend, store.barrier, CERTS_VIEW),
      config: certsConfigSchema.parse({}),
    });
    const c = ca.issue('sealed-subject.svc');
    await certs.ingest([{ source: 'upload', location: 'memo', pem: c.certPem }]);
    await certs.reportKeys([{ spkiSha256: 'a'.repeat(64), location: 'leaked/here.pem' }]);
    const files = (await readdir(dir)).filter((f) => f.startsWith('hush.db'));
    const bytes = Buffer.concat(await Promise.all(files.map((f) => readFile(join(dir, f)))));
    expect(bytes.includes('sealed-subject.svc')).toBe(false);
    expect(bytes.includes('leaked/here.pem')).toBe(false);
    expect(bytes.includes(c.certPem.split('\n')[1] ?? '?')).toBe(false);
    expect((await certs.checkAll()).some((x) => x.record.subject === 'CN=sealed-subject.svc')).toBe(true);
  });

  it('the expiry gauge reads the inventory at scrape time on any node, and is empty while sealed', async () => {
    const certs = createCertService({
      records: openSealedView(store.readBackend, store.barrier, CERTS_VIEW),
      config: certsConfigSchema.parse({}),
    });
    const c = ca.issue('gauge.svc', { days: 50 });
    const fp = (await certs.ingest([{ source: 'upload', location: 'gauge', pem: c.certPem }])).items[0]
      ?.fingerprints[0];
    let sealed = false;
    const metrics = createCertMetrics({
      load: async () => (sealed ? undefined : certs.checkAll()),
      maxAgeMs: 0,
    });
    const registry = new Registry();
    metrics.register(registry);
    const line = (text: string) => text.split('\n').find((l) => l.includes(`fingerprint="${fp}"`));
    const scraped = line(await registry.metrics());
    expect(scraped).toMatch(
      /^hush_certificate_expiry_timestamp_seconds\{fingerprint="[0-9a-f]{64}",subject="CN=gauge\.svc",issuer="CN=svc-root"\} \d+$/,
    );
    expect(Number(scraped?.split(' ').pop())).toBeGreaterThan(Date.now() / 1000 + 49 * 86_400);
    sealed = true;
    expect(line(await registry.metrics())).toBeUndefined();
  });
});

/** A TLS server on a given port (the port a renewed endpoint keeps). */
async function tlsServerOn(port: number, cert: string, key: string): Promise<LoopbackServer> {
  const { createServer } = await import('node:tls');
  const server = createServer({ cert, key }, (s) => s.end());
  server.on('tlsClientError', () => undefined);
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    close: () =>
      new Promise<void>((done) => {
        for (const s of sockets) s.destroy();
        server.close(() => done());
      }),
  };
}
