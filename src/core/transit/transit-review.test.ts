import {
  constants,
  createHmac,
  createPublicKey,
  hkdfSync,
  privateEncrypt,
  publicDecrypt,
  verify,
} from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { isHushError } from '../errors/hush-error.js';
import { formatVersioned, parseVersioned } from './ciphertext.js';
import { generateMaterial } from './key-material.js';
import type { TransitKeyType } from './key-types.js';
import { digest } from './signature.js';
import { configuredKey, newKey, type TransitKey } from './transit-keyring.js';
import { hmacWith, signWith, verifyWith, versionOf } from './transit-ops.js';

// Attacks from the transit review: each case failed before its fix.

const NOW = '2026-01-01T00:00:00.000Z';

async function makeKey(type: TransitKeyType, opts: { derived?: boolean; exportable?: boolean } = {}) {
  return newKey(`r-${type}`, type, opts, (await generateMaterial(type)).toString('base64'), NOW);
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return isHushError(err) ? err.code : 'not-coded';
  }
  return undefined;
}

let rsa: TransitKey;
beforeAll(async () => {
  rsa = await makeKey('rsa-2048');
}, 60_000);

describe('transit review', () => {
  it('prehashed PSS verify refuses an encoded message whose leftmost bits are set (RFC 8017 9.1.2 step 6), as OpenSSL does', () => {
    const v = versionOf(rsa, 1);
    const priv = v.privateKey;
    const pub = v.publicKey;
    if (!priv || !pub) throw new Error('rsa key without halves');
    const n = Buffer.from(pub.export({ format: 'jwk' }).n ?? '', 'base64url');
    const m = Buffer.from('release 2.0');
    const d = digest('sha2-256', m);
    // Re-sign the same encoded message with its (masked-out) top bit set: only a private-key holder can, but a
    // conforming verifier must refuse the result.
    let forged: Buffer | undefined;
    for (let i = 0; i < 64 && !forged; i++) {
      const sig = parseVersioned(signWith(rsa, d, { prehashed: true }), 'signature').bytes;
      const em = publicDecrypt({ key: pub, padding: constants.RSA_NO_PADDING }, sig);
      em[0] = (em[0] ?? 0) | 0x80;
      if (Buffer.compare(em, n) < 0)
        forged = privateEncrypt({ key: priv, padding: constants.RSA_NO_PADDING }, em);
    }
    if (!forged) throw new Error('no encoded message below the modulus in 64 tries');
    const nodeSays = verify(
      'sha256',
      m,
      { key: pub, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST },
      forged,
    );
    expect(nodeSays).toBe(false);
    expect(verifyWith(rsa, d, formatVersioned(1, forged), { prehashed: true })).toBe(false);
  });

  it('the HMAC key of an encryption key is not the derived subkey of any context (domain separation)', async () => {
    const k = await makeKey('aes256-gcm96', { derived: true });
    const secret = versionOf(k, 1).secret as Buffer;
    // A derived key's subkey for context C is HKDF-SHA256(secret, no salt, info = C) (docs/transit.md); a caller
    // choosing the HMAC label as context must not get the very key the HMAC operation uses.
    const subkey = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'hush transit hmac v1', 32));
    const m = Buffer.from('m');
    const mac = parseVersioned(hmacWith(k, m, 'sha2-256'), 'hmac').bytes;
    expect(mac.equals(createHmac('sha256', subkey).update(m).digest())).toBe(false);
  });

  it('a key not created exportable can never be made exportable', async () => {
    const k = await makeKey('aes256-gcm96');
    expect(codeOf(() => configuredKey(k, { exportable: true }, NOW))).toBe('HUSH_E_INVALID_INPUT');
    const e = await makeKey('ed25519', { exportable: true });
    expect(configuredKey(e, { exportable: true }, NOW).exportable).toBe(true);
    expect(createPublicKey(versionOf(e, 1).privateKey as never).asymmetricKeyType).toBe('ed25519');
  });
});
