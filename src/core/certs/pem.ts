/** One armoured block of a PEM text: its label (`CERTIFICATE`, `PRIVATE KEY`...) and decoded bytes. */
export interface PemBlock {
  readonly label: string;
  readonly der: Buffer;
}

// Bounded body so a hostile text cannot make the scan quadratic; a certificate's body is rarely over 16 KiB.
const BLOCK = /-----BEGIN ([A-Z0-9 #]{1,40})-----([A-Za-z0-9+/=\s]{0,200000}?)-----END \1-----/g;

/**
 * Every armoured block in `text`, in order (a bundle, a chain, a key beside its certificate). Text between blocks is
 * ignored, so comments and `openssl x509 -text` output around the blocks do not matter.
 *
 * @example
 * pemBlocks(readFileSync('fullchain.pem', 'utf8')).filter((b) => b.label === 'CERTIFICATE');
 */
export function pemBlocks(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  for (const m of text.matchAll(BLOCK)) {
    out.push({ label: m[1] ?? '', der: Buffer.from((m[2] ?? '').replace(/\s+/g, ''), 'base64') });
  }
  return out;
}

/** True when the bytes hold a PEM armour line (then they are text, not DER). */
export function looksLikePem(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.subarray(0, 65536)).toString('latin1').includes('-----BEGIN ');
}

/** Wrap DER bytes as a PEM block. */
export function toPem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN ${label}-----\n${(b64.match(/.{1,64}/g) ?? []).join('\n')}\n-----END ${label}-----\n`;
}
