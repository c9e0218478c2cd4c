import type { X509Certificate } from 'node:crypto';

/**
 * How a certificate's chain ends: at a trust anchor (`complete`), at a self-signed root nobody trusts
 * (`untrusted`), at a missing issuer (`incomplete`), or the certificate signs itself and is not trusted
 * (`self-signed`).
 */
export type ChainStatus = 'complete' | 'incomplete' | 'untrusted' | 'self-signed';

/** The chain's verdict and the certificates it walked (leaf first). */
export interface ChainResult {
  readonly status: ChainStatus;
  readonly path: readonly X509Certificate[];
}

/** Longest chain walked, and kept per sighting: real chains are 2 to 4 deep; a bundle of roots is no chain. */
export const MAX_CHAIN_LENGTH = 10;

/** Certificates of one issuer name tried per chain step (key rollovers give a CA a few, never hundreds). */
export const MAX_ISSUER_CANDIDATES = 16;

/** True when `issuer` issued `cert` and its signature verifies under the issuer's key. */
function issuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/** Certificates grouped by subject name, so a walk only tries the few that could have issued each step. */
export interface CertsBySubject {
  readonly bySubject: ReadonlyMap<string, readonly X509Certificate[]>;
}

// OpenSSL compares names in a canonical form (case and runs of spaces folded); the index key folds the same way, so
// it only narrows the candidates and checkIssued still decides.
const nameKey = (dn: string) => dn.toLowerCase().replace(/\s+/g, ' ');

/**
 * Index certificates by subject: an inventory walks every certificate's chain on every check, and trying the whole
 * pool at each step is quadratic (5,000 certificates, ~25 million issuer checks on the event loop per pass).
 */
export function indexBySubject(certs: readonly X509Certificate[]): CertsBySubject {
  const bySubject = new Map<string, X509Certificate[]>();
  for (const c of certs) {
    const key = nameKey(c.subject);
    const list = bySubject.get(key);
    if (list) list.push(c);
    else bySubject.set(key, [c]);
  }
  return { bySubject };
}

const asIndex = (certs: readonly X509Certificate[] | CertsBySubject): CertsBySubject =>
  'bySubject' in certs ? certs : indexBySubject(certs);
const named = (index: CertsBySubject, dn: string) => index.bySubject.get(nameKey(dn)) ?? [];

/**
 * Walk from `leaf` through `pool` (what an endpoint presented, or everything else in the inventory) to one of
 * `anchors` (the system roots and the certificates an admin marked as trusted). Pass {@link indexBySubject} results
 * when walking many chains over the same certificates.
 *
 * @example
 * chainOf(leaf, [intermediate], rootCertificates.map((p) => new X509Certificate(p))).status; // 'complete'
 */
export function chainOf(
  leaf: X509Certificate,
  pool: readonly X509Certificate[] | CertsBySubject,
  anchors: readonly X509Certificate[] | CertsBySubject,
): ChainResult {
  const poolIndex = asIndex(pool);
  const anchorIndex = asIndex(anchors);
  const path: X509Certificate[] = [];
  let cur = leaf;
  for (let depth = 0; depth < MAX_CHAIN_LENGTH; depth++) {
    path.push(cur);
    const at = cur;
    if (
      named(anchorIndex, at.subject).some((a) => a.fingerprint256 === at.fingerprint256) ||
      named(anchorIndex, at.issuer).some((a) => issuedBy(at, a))
    )
      return { status: 'complete', path };
    if (issuedBy(at, at)) return { status: depth === 0 ? 'self-signed' : 'untrusted', path };
    // At most MAX_ISSUER_CANDIDATES signature checks per step: a hostile inventory holding thousands of
    // certificates under one issuer name would otherwise make every walk verify against each of them.
    const next = named(poolIndex, at.issuer)
      .filter((c) => c.fingerprint256 !== at.fingerprint256 && !path.includes(c))
      .slice(0, MAX_ISSUER_CANDIDATES)
      .find((c) => issuedBy(at, c));
    if (!next) return { status: 'incomplete', path };
    cur = next;
  }
  return { status: 'incomplete', path };
}
