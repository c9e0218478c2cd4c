import { randomBytes } from 'node:crypto';
import { combine, split } from 'shamir-secret-sharing';
import { z } from 'zod';
import { openAead, sealAead } from '../../core/crypto/aead.js';
import { generateKey, KEY_BYTES, wipe } from '../../core/crypto/random.js';
import { isHushError } from '../../core/errors/hush-error.js';
import { hushError } from '../../core/errors/index.js';
import type { Seal, SealInitResult, SealRecord, UnsealMaterial } from '../seal.js';
import { assertRootKey, parseSealRecord } from '../seal-errors.js';
import { MAX_SHARES, parseShamirConfig, type ShamirConfig, type ShamirConfigInput } from './shamir-config.js';
import { type DecodedShare, decodeShare, encodeShare } from './share-codec.js';

/** A share is the 32-byte unseal key's y-values plus one x-coordinate byte. */
const SHARE_BYTES = KEY_BYTES + 1;

const recordSchema = z.object({
  kind: z.literal('shamir'),
  version: z.literal(1),
  set: z.string().regex(/^[0-9a-f]{8}$/),
  shares: z.int().min(2).max(MAX_SHARES),
  threshold: z.int().min(2).max(MAX_SHARES),
  wrappedRootKey: z.base64(),
});
type ShamirRecord = z.output<typeof recordSchema>;

const rootKeyAad = (set: string) => ({ purpose: 'root-key', seal: 'shamir', set });

/**
 * Shamir seal: a random 256-bit unseal key wraps the root key (AES-256-GCM) and is split into `shares` printable
 * shares, any `threshold` of which rebuild it. Hush keeps only the wrapped root key; operators keep the shares.
 *
 * @example
 * const seal = new ShamirSeal({ shares: 5, threshold: 3 });
 * const { record, oneTime } = await seal.init(rootKey); // hand oneTime.shares to five people
 * const key = await seal.unseal(record, { shares: [s1, s4, s5] });
 */
export class ShamirSeal implements Seal {
  readonly kind = 'shamir';
  readonly config: ShamirConfig;

  /** Options are validated here (HUSH_E_CONFIG); they matter only to init, unseal reads the record. */
  constructor(options: ShamirConfigInput = {}) {
    this.config = parseShamirConfig(options);
  }

  /** Wrap `rootKey` under a fresh unseal key and split that key into printable shares. */
  async init(rootKey: Uint8Array): Promise<SealInitResult> {
    assertRootKey(rootKey);
    const { shares, threshold } = this.config;
    const set = randomBytes(4).toString('hex');
    const unsealKey = generateKey();
    // The library insists on plain Uint8Arrays (not Buffers); the copy is wiped with the rest.
    const secret = new Uint8Array(unsealKey);
    let parts: Uint8Array[] = [];
    try {
      parts = await split(secret, shares, threshold);
      const record: ShamirRecord = {
        kind: 'shamir',
        version: 1,
        set,
        shares,
        threshold,
        wrappedRootKey: sealAead(unsealKey, rootKey, rootKeyAad(set)).toString('base64'),
      };
      const printed = parts.map((part, i) => encodeShare(set, i + 1, part));
      return { record, oneTime: { shares: printed, threshold } };
    } finally {
      wipe(unsealKey);
      wipe(secret);
      for (const part of parts) wipe(part);
    }
  }

  /** Rebuild the unseal key from `material.shares` and unwrap the root key; HUSH_E_UNSEAL_FAILED says what is wrong. */
  async unseal(record: SealRecord, material: UnsealMaterial): Promise<Buffer> {
    const rec = parseSealRecord('shamir', recordSchema, record);
    const supplied = material.shares ?? [];
    if (!Array.isArray(supplied) || supplied.length === 0) {
      throw hushError(
        'NO_SHARES_SUPPLIED_STORE_NEEDS',
        { threshold: rec.threshold, shares: rec.shares },
        { required: rec.threshold, supplied: 0 },
      );
    }
    const decoded: DecodedShare[] = [];
    try {
      supplied.forEach((text, i) => {
        decoded.push(decodeShare(text, i + 1, SHARE_BYTES));
      });
      checkSharesBelong(decoded, rec);
      const unsealKey = await combineShares(decoded);
      try {
        return openRootKey(unsealKey, rec);
      } finally {
        wipe(unsealKey);
      }
    } finally {
      for (const share of decoded) wipe(share.bytes);
    }
  }
}

function checkSharesBelong(shares: readonly DecodedShare[], rec: ShamirRecord): void {
  shares.forEach((share, i) => {
    if (share.setId !== rec.set) {
      throw hushError(
        'SHARE_BELONGS_ANOTHER_STORE_SET',
        { value: i + 1, setId: share.setId, set: rec.set },
        { share: i + 1 },
      );
    }
    const earlier = shares.findIndex(
      (s) => s.index === share.index || s.bytes[KEY_BYTES] === share.bytes[KEY_BYTES],
    );
    if (earlier < i) {
      throw hushError(
        'SHARE_DUPLICATES_SHARE',
        { value: i + 1, value2: earlier + 1, shares: sameNumber(shares[earlier], share) },
        { share: i + 1 },
      );
    }
  });
  if (shares.length < rec.threshold) {
    const missing = rec.threshold - shares.length;
    throw hushError(
      'NOT_ENOUGH_SHARES',
      { length: shares.length, threshold: rec.threshold, missing },
      { required: rec.threshold, supplied: shares.length },
    );
  }
}

function sameNumber(a: DecodedShare | undefined, b: DecodedShare): string {
  return a?.index === b.index ? ` (both are share #${b.index})` : '';
}

async function combineShares(shares: readonly DecodedShare[]): Promise<Buffer> {
  const combined = await combine(shares.map((s) => s.bytes));
  try {
    return Buffer.from(combined);
  } finally {
    wipe(combined);
  }
}

function openRootKey(unsealKey: Buffer, rec: ShamirRecord): Buffer {
  try {
    const rootKey = openAead(
      unsealKey,
      Buffer.from(rec.wrappedRootKey, 'base64'),
      rootKeyAad(rec.set),
      'root key',
    );
    if (rootKey.length === KEY_BYTES) return rootKey;
    wipe(rootKey);
  } catch (err) {
    if (!isHushError(err, 'HUSH_E_INTEGRITY')) throw err;
  }
  // With valid checksums and a matching set, a wrong result means a share (or the record) was deliberately altered.
  throw hushError('SHARES_NOT_RECONSTRUCT_UNSEAL_KEY');
}
