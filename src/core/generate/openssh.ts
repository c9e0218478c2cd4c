import { createCipheriv, generateKeyPairSync, type JsonWebKey, randomBytes } from 'node:crypto';
import { hushError } from '../errors/index.js';
import { bcryptPbkdf } from './bcrypt-pbkdf.js';
import { checkCurve, checkPassphrase, checkRsaBits, type EcCurve } from './key-pair.js';
import { sshMpint, sshString, sshUint32 } from './ssh-wire.js';

/** OpenSSH key types. */
export const SSH_KEY_TYPES = ['ed25519', 'rsa', 'ecdsa'] as const;
/** One of {@link SSH_KEY_TYPES}. */
export type SshKeyType = (typeof SSH_KEY_TYPES)[number];

/** Options of {@link sshKeyPair}. */
export interface SshKeyOptions {
  readonly type?: SshKeyType;
  readonly comment?: string;
  /** Encrypt the private key as ssh-keygen does: aes256-ctr under a bcrypt_pbkdf key (16 rounds, 16-byte salt). */
  readonly passphrase?: string;
  /** rsa modulus bits (default 3072). */
  readonly bits?: number;
  /** ecdsa curve (default P-256). */
  readonly curve?: EcCurve;
}

/** An OpenSSH key pair: the `openssh-key-v1` private key file and the one-line `.pub` text. */
export interface SshKeyPair {
  readonly privateKey: string;
  readonly publicKey: string;
}

const SSH_CURVE = { 'P-256': 'nistp256', 'P-384': 'nistp384', 'P-521': 'nistp521' } as const;
const AUTH_MAGIC = Buffer.from('openssh-key-v1\0', 'latin1');
/** bcrypt_pbkdf rounds, ssh-keygen's default. */
export const SSH_KDF_ROUNDS = 16;

const b64u = (s: string | undefined): Buffer => Buffer.from(s ?? '', 'base64url');

interface Encoded {
  readonly keyType: string;
  readonly publicBlob: Buffer;
  /** The private fields after the key type string, per OpenSSH's sshkey_private_serialize. */
  readonly privateFields: Buffer;
}

function encodeEd25519(): Encoded {
  const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
  const pub = b64u(jwk.x);
  const seed = b64u(jwk.d);
  const keyType = 'ssh-ed25519';
  const privateFields = Buffer.concat([sshString(pub), sshString(Buffer.concat([seed, pub]))]);
  seed.fill(0);
  return { keyType, publicBlob: Buffer.concat([sshString(keyType), sshString(pub)]), privateFields };
}

function encodeRsa(bits: number): Encoded {
  const jwk: JsonWebKey = generateKeyPairSync('rsa', { modulusLength: bits }).privateKey.export({
    format: 'jwk',
  });
  const [n, e, d, p, q, qi] = [jwk.n, jwk.e, jwk.d, jwk.p, jwk.q, jwk.qi].map(b64u) as [
    Buffer,
    Buffer,
    Buffer,
    Buffer,
    Buffer,
    Buffer,
  ];
  const keyType = 'ssh-rsa';
  // OpenSSH's iqmp is q^-1 mod p, which is JWK's qi.
  const privateFields = Buffer.concat([n, e, d, qi, p, q].map(sshMpint));
  for (const b of [d, p, q, qi]) b.fill(0);
  return {
    keyType,
    publicBlob: Buffer.concat([sshString(keyType), sshMpint(e), sshMpint(n)]),
    privateFields,
  };
}

function encodeEcdsa(curve: EcCurve): Encoded {
  const jwk = generateKeyPairSync('ec', { namedCurve: curve }).privateKey.export({ format: 'jwk' });
  const name = SSH_CURVE[curve];
  const keyType = `ecdsa-sha2-${name}`;
  const point = Buffer.concat([Buffer.from([4]), b64u(jwk.x), b64u(jwk.y)]);
  const d = b64u(jwk.d);
  const privateFields = Buffer.concat([sshString(name), sshString(point), sshMpint(d)]);
  d.fill(0);
  return {
    keyType,
    publicBlob: Buffer.concat([sshString(keyType), sshString(name), sshString(point)]),
    privateFields,
  };
}

function pem(body: Buffer): string {
  const lines = body.toString('base64').match(/.{1,70}/g) ?? [];
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

/**
 * A fresh OpenSSH key pair in the `openssh-key-v1` format ssh-keygen writes: unencrypted (cipher and KDF "none"),
 * or with a passphrase aes256-ctr under bcrypt_pbkdf, exactly as `ssh-keygen -N` does.
 *
 * @example
 * const { privateKey, publicKey } = sshKeyPair({ type: 'ed25519', comment: 'deploy@ci' });
 */
export function sshKeyPair(options: SshKeyOptions = {}): SshKeyPair {
  const type = options.type ?? 'ed25519';
  if (!(SSH_KEY_TYPES as readonly string[]).includes(type))
    throw hushError('SSH_KEY_TYPE_MUST_ONE', {
      sshKeyTypes: SSH_KEY_TYPES.join(', '),
      type: JSON.stringify(type),
    });
  checkPassphrase(options.passphrase);
  const comment = options.comment ?? '';
  if (/[\r\n]/.test(comment)) throw hushError('SSH_KEY_COMMENT_MUST_ONE');
  if (type === 'rsa') checkRsaBits(options.bits ?? 3072);
  else if (options.bits !== undefined) throw hushError('BITS_APPLIES_RSA_SSH_KEYS', { type });
  if (type !== 'ecdsa' && options.curve !== undefined)
    throw hushError('CURVE_APPLIES_ECDSA_SSH_KEYS', { type });
  const key =
    type === 'rsa'
      ? encodeRsa(options.bits ?? 3072)
      : type === 'ecdsa'
        ? encodeEcdsa(checkCurve(options.curve ?? 'P-256'))
        : encodeEd25519();
  // Two equal random check ints let a reader detect a wrong passphrase.
  const check = randomBytes(4);
  const unpadded = Buffer.concat([
    check,
    check,
    sshString(key.keyType),
    key.privateFields,
    sshString(comment),
  ]);
  const encrypted = options.passphrase !== undefined;
  const block = encrypted ? 16 : 8;
  const pad = Buffer.from(
    Array.from({ length: (block - (unpadded.length % block)) % block }, (_, i) => i + 1),
  );
  const privateSection = Buffer.concat([unpadded, pad]);
  let kdf = { cipher: 'none', name: 'none', options: Buffer.alloc(0), section: privateSection };
  if (options.passphrase !== undefined) {
    const salt = randomBytes(16);
    const km = bcryptPbkdf(Buffer.from(options.passphrase, 'utf8'), salt, 48, SSH_KDF_ROUNDS);
    const cipher = createCipheriv('aes-256-ctr', km.subarray(0, 32), km.subarray(32));
    const section = Buffer.concat([cipher.update(privateSection), cipher.final()]);
    km.fill(0);
    const kdfOptions = Buffer.concat([sshString(salt), sshUint32(SSH_KDF_ROUNDS)]);
    kdf = { cipher: 'aes256-ctr', name: 'bcrypt', options: kdfOptions, section };
  }
  const file = Buffer.concat([
    AUTH_MAGIC,
    sshString(kdf.cipher),
    sshString(kdf.name),
    sshString(kdf.options),
    sshUint32(1),
    sshString(key.publicBlob),
    sshString(kdf.section),
  ]);
  const privateKey = pem(file);
  for (const b of [unpadded, privateSection, file, key.privateFields]) b.fill(0);
  const publicKey = `${key.keyType} ${key.publicBlob.toString('base64')}${comment ? ` ${comment}` : ''}`;
  return { privateKey, publicKey };
}
