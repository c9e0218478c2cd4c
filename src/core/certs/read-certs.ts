import { X509Certificate } from 'node:crypto';
import { type CertFacts, describeCertificate } from './cert-facts.js';
import { looksLikePkcs12 } from './der.js';
import { looksLikePem, pemBlocks } from './pem.js';

/** Certificates read from one input, in the order they appeared (leaf first in a chain file), and what failed. */
export interface ReadCerts {
  readonly certs: CertFacts[];
  /** One line per unreadable block, naming its position; never the bytes. */
  readonly errors: string[];
  /** Labels of private-key blocks seen beside the certificates (`PRIVATE KEY`, `EC PRIVATE KEY`...). */
  readonly keyBlocks: number;
  /** The input is a PKCS#12 bundle (needs a password and the edge's reader), not PEM or DER. */
  readonly pkcs12?: true;
}

/** PEM labels read as certificates (every other block, keys included, is skipped). */
export const CERTIFICATE_LABELS: ReadonlySet<string> = new Set([
  'CERTIFICATE',
  'X509 CERTIFICATE',
  'TRUSTED CERTIFICATE',
]);

/**
 * Read every certificate from PEM text (several blocks: a bundle or chain) or a single DER certificate. Garbage
 * yields errors, never a throw, so one bad block does not hide the rest of a bundle.
 *
 * @example
 * const { certs, errors } = readCertificates(readFileSync('fullchain.pem'));
 */
export function readCertificates(bytes: Uint8Array): ReadCerts {
  const certs: CertFacts[] = [];
  const errors: string[] = [];
  if (looksLikePem(bytes)) {
    let keyBlocks = 0;
    const blocks = pemBlocks(Buffer.from(bytes).toString('latin1'));
    blocks.forEach((block, i) => {
      if (block.label.endsWith('PRIVATE KEY')) keyBlocks++;
      if (!CERTIFICATE_LABELS.has(block.label)) return;
      const one = parseOne(block.der);
      if (typeof one === 'string') errors.push(`PEM block ${i + 1}: ${one}`);
      else certs.push(one);
    });
    if (blocks.length === 0) errors.push('PEM armour found but no complete BEGIN/END block');
    return { certs, errors, keyBlocks };
  }
  if (bytes.length === 0) return { certs, errors: ['empty input'], keyBlocks: 0 };
  if (looksLikePkcs12(bytes)) return { certs, errors, keyBlocks: 0, pkcs12: true };
  const one = parseOne(bytes);
  if (typeof one === 'string') errors.push(`DER: ${one}`);
  else certs.push(one);
  return { certs, errors, keyBlocks: 0 };
}

/** The facts of one DER certificate, or a one-line reason it is not one. */
function parseOne(der: Uint8Array): CertFacts | string {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
  } catch {
    return `not an X.509 certificate (${der.length} bytes that do not parse)`;
  }
  try {
    return describeCertificate(cert);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
