import { createHash } from 'node:crypto';
import type { Severity } from '../rules/rule.js';
import { fingerprintOf } from './fingerprint.js';
import type { Finding } from './types.js';

/**
 * Bytes of a binary file the structural rules look at: the tree scan reads at most this much of a binary file it
 * would otherwise skip (it has read it already for the NUL test), never the whole file.
 */
export const BINARY_HEAD_BYTES = 8192;

/** The magic of a `hush operator snapshot save` file (src/operator/snapshot-format.ts). */
const SNAPSHOT_MAGIC = Buffer.from('HUSHSNAP', 'latin1');
/** A BYOK key is 32 raw bytes (docs/keys.md: `openssl rand -out key.bin 32`). */
const BYOK_KEY_BYTES = 32;
/** RSA-OAEP ciphertexts of a 32-byte key under a 2048, 3072 or 4096-bit import wrapping key. */
const WRAPPED_SIZES = new Set([256, 384, 512]);
/** Names a wrapped BYOK blob goes by: a signature has the same sizes, so the name must say what it is. */
const WRAPPED_NAME = /(^|[/._-])(wrapped|byok|import)[^/]*$/i;
/**
 * Names a raw key file goes by (its file name, or a `byok` folder); any 32 random bytes would otherwise look the same
 * as an HMAC or a digest.
 */
const KEY_NAME = /(^|[/._-])(key|kek|byok|master|root|secret)[^/]*$|(^|\/)byok\//i;
/** Magic numbers of formats that are not raw keys (wasm, PNG, gzip, zip, ELF, PDF, bzip2, xz, zstd). */
const FORMAT_MAGICS = [
  '\0asm',
  '\x89PNG',
  '\x1f\x8b',
  'PK\x03\x04',
  '\x7fELF',
  '%PDF',
  'BZh',
  '\xfd7zXZ',
  '\x28\xb5\x2f\xfd',
].map((m) => Buffer.from(m, 'latin1'));
const hasFormatMagic = (head: Buffer) => FORMAT_MAGICS.some((m) => head.subarray(0, m.length).equals(m));

/** A structural rule over the head of a binary (or tiny) file. */
interface BinaryRule {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly remediation: string;
  /** The value a finding is keyed on (a digest, never key bytes), or undefined when the bytes are not this thing. */
  readonly match: (path: string, size: number, head: Buffer) => string | undefined;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const distinct = (bytes: Uint8Array) => new Set(bytes).size;
const unprintable = (bytes: Uint8Array) => bytes.filter((b) => b < 0x20 || b > 0x7e).length;

/** Every structural rule (documented in docs/scan.md, "Hush snapshots and BYOK key material"). */
export const BINARY_RULES: readonly BinaryRule[] = [
  {
    id: 'hush-snapshot-file',
    title: 'Hush store snapshot',
    severity: 'high',
    remediation:
      'remove it from the tree and from history (git filter-repo); a snapshot holds every secret of the store, encrypted under its root key, so anyone who later has the unseal material reads them all: keep snapshots in backup storage, never in a repository',
    match(_path, size, head) {
      // "HUSHSNAP" | u32 header length | header JSON {"format":1,...,"sealRow":...} (snapshot-format.ts).
      if (size < 16 || !head.subarray(0, 8).equals(SNAPSHOT_MAGIC)) return undefined;
      const len = head.readUInt32BE(8);
      if (len < 16 || len > 1 << 20 || !head.subarray(12, 24).toString('latin1').startsWith('{"format":'))
        return undefined;
      return `HUSHSNAP:${sha256(head.subarray(12, Math.min(head.length, 12 + len)))}`;
    },
  },
  {
    id: 'hush-byok-key',
    title: 'Raw 256-bit key file (BYOK key material)',
    severity: 'critical',
    remediation:
      'this looks like a BYOK key (32 random bytes, as `openssl rand -out key.bin 32` writes); if it protects a keyring, import a new key (`hush keys import`) and revoke this one (`hush keys revoke-imported`), then remove the file from the tree and from history',
    match(path, size, head) {
      if (size !== BYOK_KEY_BYTES || head.length !== BYOK_KEY_BYTES || !KEY_NAME.test(path)) return undefined;
      if (hasFormatMagic(head)) return undefined;
      // Random bytes: most values distinct, many outside printable ASCII (a hex or base64 text of 32 characters is not).
      if (distinct(head) < 20 || unprintable(head) < 8) return undefined;
      return sha256(head);
    },
  },
  {
    id: 'hush-byok-wrapped-key',
    title: 'Wrapped BYOK key (RSA-OAEP blob for hush keys import)',
    severity: 'medium',
    remediation:
      'a key wrapped for `hush keys import`; it opens only with the one-time import key, but the key.bin it was made from is nearby: check that the raw key is not committed too, and keep BYOK material out of repositories',
    match(path, size, head) {
      if (!WRAPPED_SIZES.has(size) || head.length !== size || !WRAPPED_NAME.test(path)) return undefined;
      if (distinct(head) < size / 3) return undefined;
      return sha256(head);
    },
  },
];

/**
 * True when a file of `size` bytes gets the structural rules even without a NUL byte: random bytes of a BYOK key or a
 * wrapped key often hold none (256 random bytes: 37% of the time), so the NUL test alone would pass them to the text
 * scan and miss them.
 */
export function binaryCandidateSize(size: number): boolean {
  return size === BYOK_KEY_BYTES || WRAPPED_SIZES.has(size);
}

/**
 * Findings of the structural rules on the head of a file (`size` bytes in all). The finding's secret is a digest of
 * what matched, never key bytes, so a report, a baseline or `--reveal` prints nothing usable.
 *
 * @example
 * binaryFindings('backup/hush.snap', size, head); // [{ ruleId: 'hush-snapshot-file', ... }]
 */
export function binaryFindings(path: string, size: number, head: Uint8Array): Finding[] {
  const bytes = Buffer.from(head.buffer, head.byteOffset, Math.min(head.byteLength, BINARY_HEAD_BYTES));
  const out: Finding[] = [];
  for (const rule of BINARY_RULES) {
    const secret = rule.match(path, size, bytes);
    if (secret === undefined) continue;
    out.push({
      ruleId: rule.id,
      title: rule.title,
      severity: rule.severity,
      remediation: rule.remediation,
      path,
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 1,
      secret,
      fingerprint: fingerprintOf(rule.id, secret),
    });
  }
  return out;
}
