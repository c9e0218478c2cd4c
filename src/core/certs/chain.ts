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

/** True when `issuer` issued `cert` and its signature verifies under the issuer's key. */
function issuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/**
 * Walk from `leaf` through `pool` (what an endpoint presented, or everything else in the inventory) to one of
 * `anchors` (the system roots and the certificates an admin marked as trusted).
 *
 * @example
 * chainOf(leaf, [intermediate], rootCertificates.map((p) => new X509Certificate(p))).status; // 'complete'
 */
export function chainOf(
  leaf: X509Certificate,
  pool: readonly X509Certificate[],
  anchors: readonly X509Certificate[],
): ChainResult {
  const path: X509Certificate[] = [];
  let cur = leaf;
  for (let depth = 0; depth < MAX_CHAIN_LENGTH; depth++) {
    path.push(cur);
    if (anchors.some((a) => a.fingerprint256 === cur.fingerprint256 || issuedBy(cur, a)))
      return { status: 'complete', path };
    if (issuedBy(cur, cur)) return { status: depth === 0 ? 'self-signed' : 'untrusted', path };
    const next = pool.find(
      (c) => c.fingerprint256 !== cur.fingerprint256 && !path.includes(c) && issuedBy(cur, c),
    );
    if (!next) return { status: 'incomplete', path };
    cur = next;
  }
  return { status: 'incomplete', path };
}
