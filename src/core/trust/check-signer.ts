import type { X509Certificate } from 'node:crypto';
import { caConstraints } from '../certs/ca-constraints.js';
import { crlSignedBy, normalSerial, type ParsedCrl } from './crl.js';

/** The extended key usage a signer certificate must carry (id-kp-codeSigning). */
export const CODE_SIGNING_EKU = '1.3.6.1.5.5.7.3.3';

const MAX_DEPTH = 10;

/** What a trust store holds, parsed: trust anchors, intermediates, and CRLs their issuers signed. */
export interface TrustBundle {
  readonly roots: readonly X509Certificate[];
  readonly intermediates: readonly X509Certificate[];
  readonly crls: readonly ParsedCrl[];
}

/** The verdict on one signer certificate: its chain up to a root (leaf first) and every problem found. */
export interface SignerVerdict {
  readonly chain: readonly X509Certificate[];
  readonly problems: readonly string[];
  /** True when a CRL of the store lists the leaf or an intermediate of its chain. */
  readonly revoked: boolean;
}

const ms = (text: string) => Date.parse(text);

/**
 * The issuer of `cert` among `candidates`: names chain and its key verifies the certificate's signature. Whether the
 * issuer may issue at all is judged after, by {@link issuingProblems}, so a refusal names the reason (OpenSSL's
 * checkIssued folds a missing keyCertSign into "not the issuer", which would read as a broken chain).
 */
function issuerOf(
  cert: X509Certificate,
  candidates: readonly X509Certificate[],
): X509Certificate | undefined {
  return candidates.find(
    (c) => (cert.checkIssued(c) || cert.issuer === c.subject) && cert.verify(c.publicKey),
  );
}

const nameOf = (c: X509Certificate) => c.subject.replace(/\n/g, ', ');

/**
 * RFC 5280 section 6.1.4 for each issuing certificate of `chain` (leaf first): basicConstraints cA must be set, its
 * pathLenConstraint must allow the intermediate CAs below it, and a keyUsage extension, when present, must carry
 * keyCertSign (an absent one restricts nothing, as `openssl verify` reads it). Self-issued certificates count
 * toward the path length like any other: a trust store's chains are short and rollover certificates are rare.
 */
function issuingProblems(chain: readonly X509Certificate[]): string[] {
  const problems: string[] = [];
  chain.forEach((c, i) => {
    const below = chain[i - 1];
    if (!below) return;
    const limits = caConstraints(c.raw) ?? { ca: false };
    if (!limits.ca)
      problems.push(`${nameOf(c)} is not a CA (basicConstraints cA is not set) yet issued ${nameOf(below)}`);
    if (limits.keyCertSign === false)
      problems.push(`${nameOf(c)} lacks the keyCertSign key usage yet issued ${nameOf(below)}`);
    const intermediatesBelow = i - 1;
    if (limits.pathLen !== undefined && intermediatesBelow > limits.pathLen)
      problems.push(
        `${nameOf(c)} allows ${limits.pathLen} intermediate CA(s) below it (pathLenConstraint), the chain has ${intermediatesBelow}`,
      );
  });
  return problems;
}

/**
 * Check a signer certificate against a trust bundle at `now`: a chain of valid CA signatures to a trusted root, every
 * issuing certificate a CA allowed to issue there (cA, pathLenConstraint, keyCertSign), the code-signing EKU on the leaf, every certificate of the chain within its validity, and no certificate of the chain
 * listed by a CRL its issuer signed (a CRL past its nextUpdate is a problem too: revocation is then unknown).
 *
 * @example
 * const { problems } = checkSigner(bundle, new X509Certificate(pem), new Date()); // [] when trusted
 */
export function checkSigner(bundle: TrustBundle, leaf: X509Certificate, now: Date): SignerVerdict {
  const problems: string[] = [];
  const t = now.getTime();
  const isRoot = (c: X509Certificate) => bundle.roots.some((r) => r.fingerprint256 === c.fingerprint256);
  const chain: X509Certificate[] = [leaf];
  let current = leaf;
  while (!isRoot(current)) {
    if (chain.length > MAX_DEPTH) {
      problems.push(`the chain is longer than ${MAX_DEPTH} certificates`);
      break;
    }
    const issuer = issuerOf(current, bundle.roots) ?? issuerOf(current, bundle.intermediates);
    if (!issuer || chain.includes(issuer)) {
      problems.push(`no trusted issuer for ${nameOf(current)} (the chain does not reach a root)`);
      break;
    }
    chain.push(issuer);
    current = issuer;
  }
  problems.push(...issuingProblems(chain));
  if (!(leaf.keyUsage ?? []).includes(CODE_SIGNING_EKU)) {
    problems.push('it lacks the code-signing extended key usage');
  }
  for (const c of chain) {
    const name = c === leaf ? 'it' : nameOf(c);
    if (t < ms(c.validFrom))
      problems.push(`${name} is not valid before ${new Date(ms(c.validFrom)).toISOString()}`);
    if (t >= ms(c.validTo)) problems.push(`${name} expired at ${new Date(ms(c.validTo)).toISOString()}`);
  }
  let revoked = false;
  chain.forEach((c, i) => {
    const issuer = chain[i + 1];
    if (!issuer) return;
    for (const crl of bundle.crls.filter((l) => crlSignedBy(l, issuer))) {
      if (crl.revoked.includes(normalSerial(c.serialNumber))) {
        revoked = true;
        problems.push(`${c === leaf ? 'it' : nameOf(c)} is revoked (serial ${c.serialNumber})`);
      }
      if (crl.nextUpdate && t >= ms(crl.nextUpdate)) {
        problems.push(`the CRL of ${nameOf(issuer)} is stale since ${crl.nextUpdate}`);
      }
    }
  });
  return { chain, problems: [...new Set(problems)], revoked };
}
