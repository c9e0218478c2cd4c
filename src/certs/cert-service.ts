import type { X509Certificate } from 'node:crypto';
import { describeCertificate } from '../core/certs/cert-facts.js';
import {
  addSighting,
  type CertRecord,
  type CertSighting,
  type CertSource,
} from '../core/certs/cert-record.js';
import type { CertsConfig } from '../core/certs/certs-config.js';
import { MAX_CHAIN_LENGTH } from '../core/certs/chain.js';
import { readCertificates } from '../core/certs/read-certs.js';
import { isHushError } from '../core/errors/hush-error.js';
import { hushError } from '../core/errors/index.js';
import type { OutboundAllowList } from '../net/outbound-allow-list.js';
import type { HushStore } from '../store/index.js';
import { retryCas, type SealedView } from '../store/sealed-view/index.js';
import { type CheckedCert, evaluateInventory } from './cert-evaluate.js';
import { certKeys, type EndpointRecord, type KeySightings, readAll } from './cert-records.js';
import { pkcs12FromSecret } from './secret-pkcs12.js';
import { mapBounded, type ProbeTarget, probeTls, targetName } from './tls-probe.js';

/** Distinct certificates one input (a file, a secret, an upload item) may hold: a chain has a handful. */
export const MAX_CERTS_PER_INPUT = 100;

/** How long an expired certificate of Hush's CA, seen nowhere else, stays in the inventory. */
export const PRUNE_AFTER_MS = 86_400_000;

/** Certificates to add: PEM text (one or more blocks) and where it came from. */
export interface CertUpload {
  readonly source: Exclude<CertSource, 'endpoint'>;
  readonly location: string;
  readonly pem: string;
}

/** Certificates a caller sends (from its files, manifests or a scan); `secret` sightings are the server's own. */
export type CallerUpload = CertUpload & { readonly source: 'file' | 'k8s' | 'scan' | 'upload' };

/** The outcome for one input or endpoint: the certificates it held, or why it could not be read. */
export interface ItemResult {
  readonly location: string;
  readonly fingerprints: readonly string[];
  readonly error?: { readonly code: string; readonly message: string };
}

/** What an add, scan or probe did; partial failure is normal, so errors are per item. */
export interface IngestReport {
  readonly items: readonly ItemResult[];
  /** Certificates new to the inventory / already known. */
  readonly added: number;
  readonly updated: number;
  readonly failed: number;
}

/** What the service is built from. */
export interface CertServiceDeps {
  readonly records: SealedView;
  readonly config: CertsConfig;
  readonly clock?: () => Date;
  /** Probe one endpoint (default: the real TLS probe). */
  readonly probe?: typeof probeTls;
  /** The server's outbound allow-list, which probes are held to (absent in local use). */
  readonly outbound?: OutboundAllowList;
  /** The secrets store, for `scanSecrets` (values are read, never kept or returned). */
  readonly store?: Pick<HushStore, 'list' | 'get'>;
}

/** The certificate inventory's use cases. Inputs are public certificates and key digests, never keys. */
export type CertService = ReturnType<typeof createCertService>;

/**
 * Build the service: add certificates (files, k8s Secrets, store secrets, uploads), record where private keys
 * matching certificates were found, probe TLS endpoints, and check everything.
 *
 * @example
 * const certs = createCertService({ records: createCertRecords(backend, barrier), config: config.certs });
 * await certs.probe([{ host: 'example.com', port: 443 }], { remember: true });
 */
export function createCertService(deps: CertServiceDeps) {
  const { records, config } = deps;
  const now = () => (deps.clock ?? (() => new Date()))();
  const probe = deps.probe ?? probeTls;

  // The inventory's size, counted once and then kept: new certificates past certs.maxItems are refused (an
  // approximate bound across nodes, which is all a flood guard needs).
  let itemCount: number | undefined;
  const roomForOne = async () => {
    itemCount ??= (await records.keys(certKeys.ITEMS)).length;
    return itemCount < config.maxItems;
  };

  /**
   * Add one certificate's sighting (check-and-set, so concurrent sightings of one certificate all land); a
   * certificate new to a full inventory is refused (`full`), one already known still updates.
   */
  async function record(
    cert: X509Certificate | ReturnType<typeof describeCertificate>,
    seen: Omit<CertSighting, 'firstSeen'>,
    anchor = false,
  ): Promise<{ fingerprint: string; added: boolean; full?: true }> {
    const facts = 'pem' in cert ? cert : describeCertificate(cert);
    const key = certKeys.item(facts.fingerprintSha256);
    return retryCas(async () => {
      const prev = await records.get<CertRecord>(key);
      if (!prev && !(await roomForOne()))
        return { fingerprint: facts.fingerprintSha256, added: false, full: true };
      const next = addSighting(prev?.value, facts, seen, { trustAnchor: anchor });
      await records.batch([
        { op: 'put', key, value: next, ...(prev ? { expectedRevision: prev.revision } : {}) },
      ]);
      if (!prev && itemCount !== undefined) itemCount++;
      return { fingerprint: facts.fingerprintSha256, added: !prev };
    });
  }

  function tally(items: ItemResult[], added: number, updated: number): IngestReport {
    return { items, added, updated, failed: items.filter((i) => i.error).length };
  }

  async function ingest(
    uploads: readonly CertUpload[],
    opts: { trustAnchor?: boolean } = {},
  ): Promise<IngestReport> {
    const items: ItemResult[] = [];
    let added = 0;
    let updated = 0;
    const lastSeen = now().toISOString();
    for (const up of uploads) {
      const read = readCertificates(Buffer.from(up.pem, 'utf8'));
      // Each certificate once per input (a bundle can repeat one thousands of times) and a bounded chain: one
      // write per certificate, never a write per copy carrying every copy after it.
      const certs = [...new Map(read.certs.map((c) => [c.fingerprintSha256, c])).values()];
      if (certs.length > MAX_CERTS_PER_INPUT) {
        const err = hushError('CERT_INPUT_TOO_MANY', {
          location: up.location,
          count: certs.length,
          max: MAX_CERTS_PER_INPUT,
        });
        items.push({
          location: up.location,
          fingerprints: [],
          error: { code: err.code, message: err.message },
        });
        continue;
      }
      const fps: string[] = [];
      let refused = 0;
      for (const [i, facts] of certs.entries()) {
        const chain = certs.slice(i + 1, i + 1 + MAX_CHAIN_LENGTH).map((c) => c.fingerprintSha256);
        const r = await record(
          facts,
          { source: up.source, location: up.location, lastSeen, chain },
          opts.trustAnchor,
        );
        if (r.full) {
          refused++;
          continue;
        }
        fps.push(r.fingerprint);
        if (r.added) added++;
        else updated++;
      }
      if (refused > 0) {
        const err = hushError('CERT_INVENTORY_FULL', {
          location: up.location,
          count: itemCount ?? 0,
          refused,
        });
        items.push({
          location: up.location,
          fingerprints: fps,
          error: { code: err.code, message: err.message },
        });
        continue;
      }
      const why = read.errors.length
        ? read.errors.join('; ')
        : read.certs.length
          ? undefined
          : 'no certificate in it';
      items.push({
        location: up.location,
        fingerprints: fps,
        ...(why ? { error: { code: 'HUSH_E_INVALID_INPUT', message: `${up.location}: ${why}` } } : {}),
      });
    }
    return tally(items, added, updated);
  }

  async function probeOne(
    target: ProbeTarget,
    remember: boolean,
  ): Promise<{ item: ItemResult; added: boolean }> {
    const name = targetName(target);
    const at = now().toISOString();
    let item: ItemResult;
    let added = false;
    let endpoint: Partial<EndpointRecord>;
    try {
      const served = await probe(target, config.probeTimeoutMs, deps.outbound);
      const facts = served.chain.map((c) => describeCertificate(c));
      const fps: string[] = [];
      for (const [i, f] of facts.entries()) {
        const chain = facts.slice(i + 1).map((c) => c.fingerprintSha256);
        const host = i === 0 ? { host: target.servername ?? target.host } : {};
        const r = await record(f, { source: 'endpoint', location: name, lastSeen: at, chain, ...host });
        if (r.full)
          throw hushError('CERT_INVENTORY_FULL', {
            location: name,
            count: itemCount ?? 0,
            refused: facts.length - i,
          });
        fps.push(r.fingerprint);
        if (i === 0) added = r.added;
      }
      item = { location: name, fingerprints: fps };
      endpoint = { lastProbe: at, fingerprint: fps[0] as string };
    } catch (err) {
      const coded = isHushError(err) ? err : hushError('ENDPOINT_NAME_FAILED', { name });
      item = { location: name, fingerprints: [], error: { code: coded.code, message: coded.message } };
      endpoint = { lastProbe: at, error: { code: coded.code, message: coded.message } };
    }
    const key = certKeys.endpoint(name);
    await retryCas(async () => {
      const prev = await records.get<EndpointRecord>(key);
      const base = prev?.value ?? { name, target, addedAt: at };
      const { error: _old, ...kept } = base;
      const next: EndpointRecord = {
        ...kept,
        ...endpoint,
        ...(remember ? { scheduled: true as const } : {}),
        ...((endpoint.fingerprint ?? base.fingerprint)
          ? { fingerprint: endpoint.fingerprint ?? base.fingerprint }
          : {}),
      } as EndpointRecord;
      await records.batch([
        { op: 'put', key, value: next, ...(prev ? { expectedRevision: prev.revision } : {}) },
      ]);
    });
    return { item, added };
  }

  async function probeMany(targets: readonly ProbeTarget[], remember: boolean): Promise<IngestReport> {
    const results = await mapBounded(targets, config.probeConcurrency, (t) => probeOne(t, remember));
    const ok = results.filter((r) => !r.item.error);
    return tally(
      results.map((r) => r.item),
      ok.filter((r) => r.added).length,
      ok.filter((r) => !r.added).length,
    );
  }

  async function checkAll(): Promise<CheckedCert[]> {
    const [items, keys, endpoints] = await Promise.all([
      readAll<CertRecord>(records, certKeys.ITEMS),
      readAll<KeySightings>(records, certKeys.KEYS),
      readAll<EndpointRecord>(records, certKeys.ENDPOINTS),
    ]);
    return evaluateInventory(items, keys, endpoints, { now: now().getTime(), leadDays: config.leadDays });
  }

  return {
    ingest,
    /** Probe endpoints now; `remember` adds them to the scheduled probes. Results per endpoint. */
    probe: (targets: readonly ProbeTarget[], opts: { remember?: boolean } = {}) =>
      probeMany(targets, opts.remember === true),
    /** Probe every remembered endpoint (the scheduled job). */
    async probeRemembered(): Promise<IngestReport> {
      const endpoints = await readAll<EndpointRecord>(records, certKeys.ENDPOINTS);
      return probeMany(
        endpoints.filter((e) => e.scheduled).map((e) => e.target),
        true,
      );
    },
    /** Record where private keys were found, by the SHA-256 of their public key; returns the certificates they match. */
    async reportKeys(
      found: readonly { spkiSha256: string; location: string }[],
    ): Promise<{ matched: string[] }> {
      const at = now().toISOString();
      for (const f of found) {
        if (!/^[0-9a-f]{64}$/.test(f.spkiSha256))
          throw hushError('SPKI_SHA256_MUST_LOWER_CASE', { length: f.spkiSha256.length });
        const key = certKeys.key(f.spkiSha256);
        await retryCas(async () => {
          const prev = await records.get<KeySightings>(key);
          const others = (prev?.value.locations ?? []).filter((l) => l.location !== f.location);
          const value: KeySightings = {
            spkiSha256: f.spkiSha256,
            locations: [...others, { location: f.location, lastSeen: at }].slice(-100),
          };
          await records.batch([
            { op: 'put', key, value, ...(prev ? { expectedRevision: prev.revision } : {}) },
          ]);
        });
      }
      const digests = new Set(found.map((f) => f.spkiSha256));
      const items = await readAll<CertRecord>(records, certKeys.ITEMS);
      return { matched: items.filter((r) => digests.has(r.spkiSha256)).map((r) => r.fingerprintSha256) };
    },
    checkAll,
    /**
     * Forget certificates Hush's CA issued that expired over a day ago and were seen nowhere else: a renewal loop
     * issues one every few hours, and history of that kind would otherwise fill the inventory. Returns how many.
     */
    async pruneIssued(): Promise<number> {
      const cutoff = now().getTime() - PRUNE_AFTER_MS;
      let pruned = 0;
      for (const key of await records.keys(certKeys.ITEMS)) {
        const row = await records.get<CertRecord>(key);
        const r = row?.value;
        if (!row || !r || r.trustAnchor || Date.parse(r.notAfter) > cutoff) continue;
        if (!r.sightings.every((s) => s.source === 'pki')) continue;
        await records.batch([{ op: 'delete', key, expectedRevision: row.revision }]).catch((err: unknown) => {
          if (!isHushError(err, 'HUSH_E_CAS_CONFLICT')) throw err; // seen again meanwhile: kept
        });
        pruned++;
        if (itemCount !== undefined) itemCount--;
      }
      return pruned;
    },
    /**
     * Add the certificates held in secret values below `prefix` (a PEM string, or PEM in a JSON object's string
     * fields, or a base64 PKCS#12 bundle with its password in a `password` field) that `mayRead` allows; keys in
     * them are where keys belong and are not reported.
     */
    async scanSecrets(opts: {
      prefix?: string;
      mayRead: (path: string) => Promise<boolean>;
    }): Promise<IngestReport> {
      const store = deps.store;
      if (!store) throw new TypeError('scanSecrets needs the store');
      const uploads: CertUpload[] = [];
      const failures: ItemResult[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.list(opts.prefix ?? '', {
          recursive: true,
          limit: 500,
          ...(cursor ? { cursor } : {}),
        });
        for (const e of page.entries) {
          if (e.kind !== 'secret' || !(await opts.mayRead(e.path))) continue;
          let value: unknown;
          try {
            value = (await store.get(e.path)).value;
          } catch (err) {
            if (
              isHushError(err) &&
              ['HUSH_E_NOT_FOUND', 'HUSH_E_DELETED', 'HUSH_E_DESTROYED'].includes(err.code)
            )
              continue;
            throw err;
          }
          const text =
            typeof value === 'string'
              ? value
              : Object.values(value as object)
                  .filter((v) => typeof v === 'string')
                  .join('\n');
          const location = `secret:${e.path}`;
          const p12 = await pkcs12FromSecret(value, location);
          for (const err of p12.errors) failures.push({ location, fingerprints: [], error: err });
          const pem = (text.includes('-----BEGIN CERTIFICATE-----') ? text : '') + p12.pem;
          if (pem) uploads.push({ source: 'secret', location, pem });
        }
        cursor = page.cursor;
      } while (cursor !== undefined);
      const report = await ingest(uploads);
      return tally([...report.items, ...failures], report.added, report.updated);
    },
    /** One certificate with its findings, by SHA-256 fingerprint (hex, colons optional) or a unique prefix of 8+. */
    async show(fingerprint: string): Promise<CheckedCert> {
      const want = fingerprint.replace(/:/g, '').toLowerCase();
      if (!/^[0-9a-f]{8,64}$/.test(want)) throw hushError('GIVE_SHA_FINGERPRINT_HEX_LEAST');
      const hits = (await checkAll()).filter((c) => c.record.fingerprintSha256.startsWith(want));
      if (hits.length !== 1)
        throw hits.length
          ? hushError('CERT_FINGERPRINT_AMBIGUOUS', { want, count: hits.length })
          : hushError('CERT_NOT_FOUND', { want });
      return hits[0] as CheckedCert;
    },
    /** The remembered endpoints and their last probe. */
    endpoints: () => readAll<EndpointRecord>(records, certKeys.ENDPOINTS),
  };
}
