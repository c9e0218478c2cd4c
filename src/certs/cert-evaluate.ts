import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { type CertFinding, checkCertificate } from '../core/certs/cert-checks.js';
import { type CertRecord, daysLeft } from '../core/certs/cert-record.js';
import { type ChainStatus, chainOf, indexBySubject } from '../core/certs/chain.js';
import type { EndpointRecord, KeySightings } from './cert-records.js';

/** A certificate with what the checks found, as listed and alerted. */
export interface CheckedCert {
  readonly record: CertRecord;
  readonly findings: readonly CertFinding[];
  readonly daysLeft: number;
  /** False when every place it was seen is an endpoint that now serves another certificate (renewed). */
  readonly live: boolean;
}

let systemRoots: X509Certificate[] | undefined;
/** Node's bundled Mozilla roots, parsed once. */
function systemAnchors(): X509Certificate[] {
  systemRoots ??= rootCertificates.map((pem) => new X509Certificate(pem));
  return systemRoots;
}

/**
 * Run the checks over the whole inventory: chains are judged against the system roots plus the certificates an
 * admin marked as trust anchors; an endpoint's chain from what it presented, a file's from the whole inventory.
 */
export function evaluateInventory(
  records: readonly CertRecord[],
  keys: readonly KeySightings[],
  endpoints: readonly EndpointRecord[],
  opts: { readonly now: number; readonly leadDays: readonly number[] },
): CheckedCert[] {
  const parsed = new Map<string, X509Certificate>();
  const x509 = (r: CertRecord) => {
    let c = parsed.get(r.fingerprintSha256);
    if (!c) {
      c = new X509Certificate(r.pem);
      parsed.set(r.fingerprintSha256, c);
    }
    return c;
  };
  const byFp = new Map(records.map((r) => [r.fingerprintSha256, r]));
  // Indexed once per pass: every chain below is walked through these.
  const anchors = indexBySubject([...systemAnchors(), ...records.filter((r) => r.trustAnchor).map(x509)]);
  const pool = indexBySubject(records.map(x509));
  const serving = new Map(endpoints.map((e) => [e.name, e.fingerprint]));
  const exposed = new Map(keys.map((k) => [k.spkiSha256, k.locations.map((l) => l.location)]));
  return records.map((record) => {
    // A certificate Hush's CA issued is live, by that sighting, until it expires: short-lived certificates are
    // renewed, not kept, so an expired one that nothing else holds is history rather than an outage.
    const expired = Date.parse(record.notAfter) <= opts.now;
    const current = record.sightings.filter((s) =>
      s.source === 'pki'
        ? !expired
        : s.source !== 'endpoint' || !s.host || serving.get(s.location) === record.fingerprintSha256,
    );
    const live = current.length > 0;
    const chainAt = (fps: readonly string[]): ChainStatus =>
      chainOf(
        x509(record),
        fps
          .map((f) => byFp.get(f))
          .filter((r): r is CertRecord => !!r)
          .map(x509),
        anchors,
      ).status;
    const endpointsHere = current
      .filter((s) => s.source === 'endpoint' && s.host)
      .map((s) => ({ where: s.location, host: s.host as string, chain: chainAt(s.chain ?? []) }));
    const chain =
      record.isCa || endpointsHere.length ? undefined : chainOf(x509(record), pool, anchors).status;
    const findings = live
      ? checkCertificate(record, {
          now: opts.now,
          leadDays: opts.leadDays,
          endpoints: endpointsHere,
          ...(chain ? { chain } : {}),
          exposedKeys: exposed.get(record.spkiSha256) ?? [],
        })
      : [];
    return { record, findings, daysLeft: daysLeft(record, opts.now), live };
  });
}
