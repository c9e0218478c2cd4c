import { X509Certificate } from 'node:crypto';
import type { HushClient } from '../../client/index.js';
import { hushError } from '../../core/errors/index.js';
import { parseHash, preparePublicKey, verifyBytes } from '../../core/transit/index.js';
import { checkSigner } from '../../core/trust/index.js';
import { bundleOf } from '../../trust/trust-store-service.js';
import { readArtefact, scheme } from './artefact-signature.js';

/**
 * Verify `signature` over `data` with a signer certificate trusted by server-held trust store `store`: the certificate
 * must chain to a root of the store, carry the code-signing EKU, be within its validity (as must its chain), and not
 * be revoked by a CRL of the store; then its public key must verify the signature. Refusals are coded
 * (HUSH_E_UNTRUSTED_SIGNER, HUSH_E_TRANSIT_INVALID). The store is fetched (public material), the check runs here.
 */
export async function verifyWithCertificate(
  client: HushClient,
  input: {
    readonly store: string;
    readonly certFile: string;
    readonly data: Buffer;
    readonly signature: Buffer;
    readonly what: { readonly file: string; readonly sig: string };
    readonly hash?: string;
    readonly signatureAlgorithm?: string;
  },
): Promise<{ subject: string; chain: string[] }> {
  const pem = await readArtefact(input.certFile, 'signer certificate');
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(pem);
  } catch {
    throw hushError('TRUST_CERT_INVALID', { source: input.certFile });
  }
  const subject = leaf.subject.replace(/\n/g, ', ');
  const verdict = checkSigner(bundleOf(await client.trust.get(input.store)), leaf, new Date());
  if (verdict.problems.length > 0) {
    throw hushError('SIGNER_UNTRUSTED', { subject, store: input.store, why: verdict.problems.join('; ') });
  }
  const prepared = preparePublicKey(leaf.publicKey);
  if (!prepared) throw hushError('NOT_ED25519_ECDSA_RSA_PUBLIC', { key: input.certFile });
  const valid = verifyBytes(prepared, input.data, input.signature, {
    hash: parseHash(input.hash),
    rsaScheme: scheme(input.signatureAlgorithm),
  });
  if (!valid)
    throw hushError('SIGNATURE_NOT_VERIFY', { sig: input.what.sig, file: input.what.file, key: subject });
  return { subject, chain: verdict.chain.map((c) => c.subject.replace(/\n/g, ', ')) };
}
