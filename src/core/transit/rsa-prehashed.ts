import {
  constants,
  createHash,
  type KeyObject,
  privateEncrypt,
  publicDecrypt,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { DIGEST_INFO, type ExternalHash } from '../crypto/external-signer.js';
import type { TransitHash } from './signature.js';

// Node signs RSA only over a message it hashes itself; a prehashed digest needs the encoding done here and the raw
// RSA operation (privateEncrypt / publicDecrypt without padding), exactly as RFC 8017 describes.

const NODE_HASH: Record<TransitHash, string> = {
  'sha2-256': 'sha256',
  'sha2-384': 'sha384',
  'sha2-512': 'sha512',
};
const DIGEST_BYTES: Record<TransitHash, number> = { 'sha2-256': 32, 'sha2-384': 48, 'sha2-512': 64 };

/** PKCS#1 v1.5 signature of a digest. */
export function pkcs1SignDigest(key: KeyObject, hash: TransitHash, mHash: Uint8Array): Buffer {
  return privateEncrypt(
    { key, padding: constants.RSA_PKCS1_PADDING },
    Buffer.concat([Buffer.from(DIGEST_INFO[NODE_HASH[hash] as ExternalHash], 'hex'), mHash]),
  );
}

/** Check a PKCS#1 v1.5 signature of a digest. */
export function pkcs1VerifyDigest(
  key: KeyObject,
  hash: TransitHash,
  mHash: Uint8Array,
  signature: Uint8Array,
): boolean {
  const expected = Buffer.concat([Buffer.from(DIGEST_INFO[NODE_HASH[hash] as ExternalHash], 'hex'), mHash]);
  const got = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
  return got.length === expected.length && timingSafeEqual(got, expected);
}

/** MGF1 (RFC 8017 B.2.1). */
function mgf1(hash: string, seed: Buffer, length: number): Buffer {
  const out: Buffer[] = [];
  for (let counter = 0, got = 0; got < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    const block = createHash(hash).update(seed).update(c).digest();
    out.push(block);
    got += block.length;
  }
  return Buffer.concat(out).subarray(0, length);
}

function modulusBits(key: KeyObject): number {
  return key.asymmetricKeyDetails?.modulusLength ?? 2048;
}

/** EMSA-PSS-ENCODE (RFC 8017 9.1.1) of a digest, salt length = digest length, then the raw RSA private operation. */
export function pssSignDigest(key: KeyObject, hash: TransitHash, mHash: Uint8Array): Buffer {
  const alg = NODE_HASH[hash];
  const hLen = DIGEST_BYTES[hash];
  const emBits = modulusBits(key) - 1;
  const emLen = Math.ceil(emBits / 8);
  const salt = randomBytes(hLen);
  const h = createHash(alg).update(Buffer.alloc(8)).update(mHash).update(salt).digest();
  const db = Buffer.concat([Buffer.alloc(emLen - 2 * hLen - 2), Buffer.of(1), salt]);
  const mask = mgf1(alg, h, emLen - hLen - 1);
  for (let i = 0; i < db.length; i++) db[i] = (db[i] ?? 0) ^ (mask[i] ?? 0);
  db[0] = (db[0] ?? 0) & (0xff >> (8 * emLen - emBits));
  const em = Buffer.concat([db, h, Buffer.of(0xbc)]);
  const k = modulusBits(key) / 8;
  const padded = em.length < k ? Buffer.concat([Buffer.alloc(k - em.length), em]) : em;
  return privateEncrypt({ key, padding: constants.RSA_NO_PADDING }, padded);
}

/** EMSA-PSS-VERIFY (RFC 8017 9.1.2) of a digest against a signature, salt length = digest length. */
export function pssVerifyDigest(
  key: KeyObject,
  hash: TransitHash,
  mHash: Uint8Array,
  signature: Uint8Array,
): boolean {
  const alg = NODE_HASH[hash];
  const hLen = DIGEST_BYTES[hash];
  const emBits = modulusBits(key) - 1;
  const emLen = Math.ceil(emBits / 8);
  const raw = publicDecrypt({ key, padding: constants.RSA_NO_PADDING }, signature);
  const em = raw.subarray(raw.length - emLen);
  if (raw.length - emLen > 0 && raw.subarray(0, raw.length - emLen).some((b) => b !== 0)) return false;
  if (em[em.length - 1] !== 0xbc) return false;
  // Step 6: the bits above emBits must be zero in what was signed; masking them away (as the encoder does) would
  // accept encodings OpenSSL refuses.
  const topMask = 0xff >> (8 * emLen - emBits);
  if (((em[0] ?? 0) & ~topMask & 0xff) !== 0) return false;
  const db = Buffer.from(em.subarray(0, emLen - hLen - 1));
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const mask = mgf1(alg, h, db.length);
  for (let i = 0; i < db.length; i++) db[i] = (db[i] ?? 0) ^ (mask[i] ?? 0);
  db[0] = (db[0] ?? 0) & topMask;
  const ps = emLen - 2 * hLen - 2;
  if (db.subarray(0, ps).some((b) => b !== 0) || db[ps] !== 1) return false;
  const salt = db.subarray(ps + 1);
  const h2 = createHash(alg).update(Buffer.alloc(8)).update(mHash).update(salt).digest();
  return timingSafeEqual(h, h2);
}
