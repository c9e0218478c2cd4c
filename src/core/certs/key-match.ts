import { createPrivateKey, createPublicKey } from 'node:crypto';
import { spkiSha256 } from './cert-facts.js';
import { pemBlocks, toPem } from './pem.js';

/**
 * The SPKI SHA-256 of the public half of each private key in `text` (PEM, also base64-wrapped PEM as in a
 * Kubernetes `tls.key`), for matching against certificates' `spkiSha256`. Encrypted or unreadable keys are skipped.
 * Only the digest leaves this function: never the key.
 *
 * @example
 * publicKeyDigests(readFileSync('server.key', 'utf8')); // ['9f86d0...']
 */
export function publicKeyDigests(text: string): string[] {
  const out = new Set<string>();
  const candidates = [text];
  // base64 of `-----BEGIN` (kubeconfig client-key-data, k8s tls.key)
  for (const m of text.matchAll(/LS0tLS1CRUdJTi[A-Za-z0-9+/=\s]{100,40000}/g))
    candidates.push(Buffer.from(m[0].replace(/\s/g, ''), 'base64').toString('latin1'));
  for (const t of candidates) {
    for (const block of pemBlocks(t.replace(/\\n/g, '\n'))) {
      if (!block.label.endsWith('PRIVATE KEY') || block.label.includes('ENCRYPTED')) continue;
      try {
        const key = createPrivateKey({ key: toPem(block.label, block.der), format: 'pem' });
        out.add(spkiSha256(createPublicKey(key)));
      } catch {
        // not a key node can read (OpenSSH, PGP, or garbage): nothing to match
      }
    }
  }
  return [...out];
}
