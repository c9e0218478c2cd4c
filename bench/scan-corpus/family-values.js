import { createCipheriv, createHash, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { B62, B64, HEX } from './prng.js';

/** Hashes computed by the real tools (see make-hash-fixtures.js). */
const HASHES = JSON.parse(readFileSync(new URL('./fixtures/password-hashes.json', import.meta.url), 'utf8'));

const WORDS = [
  'Summer',
  'Falcon',
  'Orchid',
  'Granite',
  'Harbor',
  'Maple',
  'Cobalt',
  'Juniper',
  'Velvet',
  'Tundra',
];
const DJANGO_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)';
// WordPress's secret-key service alphabet minus the quote characters it also never emits.
const WP_ALPHABET = `${B62}!@#$%^&*()-_ []{}<>~\`+=,.;:/?|`;

/**
 * Values for the credential-family corpus, drawn from the corpus PRNG, each in the format its real producer writes:
 * WinSCP's and JetBrains' password obfuscation, rclone's obscure (AES-CTR + base64url), Hush's token and share
 * checksums, API keys with a CRC-32, JWKs from node's key generator.
 */
export function createFamilyValues(rng, checksumSuffix) {
  const s = rng.str;
  const randomPassword = () =>
    `${s(5, B62)}${rng.pick(['!', '#', '%', '-', '_', '.'])}${s(8, B62)}${rng.int(90) + 10}`;
  const humanPassword = () =>
    `${rng.pick(WORDS)}${rng.int(9000) + 1000}${rng.pick(['!', '#', '$', '?', '*'])}`;
  const bytes = (n) => Buffer.from(Array.from({ length: n }, () => rng.int(256)));
  const hushToken = (kind) => {
    const covered = `hush_${kind}_${s(43, B62)}`;
    return `${covered}${checksumSuffix(covered)}`;
  };
  return {
    password: () => (rng.int(3) === 0 ? humanPassword() : randomPassword()),
    hash: (kind) => rng.pick(HASHES[kind]),
    hex: (n) => s(n, HEX),
    b62: (n) => s(n, B62),
    b64: (n) => s(n, B64),
    bytes,
    /** WinSCP.ini `Password=`: each byte b written as hex of ~(b ^ 0xA3), flag + length + shift + key||password. */
    winscp(user, host, password) {
      const enc = (b) => (~(b ^ 0xa3) & 0xff).toString(16).toUpperCase().padStart(2, '0');
      const plain = Buffer.from(`${user}${host}${password}`, 'latin1');
      const shift = rng.int(8);
      const parts = [0xff, 0, plain.length, shift, ...bytes(shift), ...plain];
      while (parts.length < 50) parts.push(rng.int(256));
      return parts.map(enc).join('');
    },
    /** JetBrains webServers.xml `password=`: each UTF-16 unit XOR 0xDFDF, four hex digits. */
    jetbrains: (password) =>
      [...password].map((c) => (c.charCodeAt(0) ^ 0xdfdf).toString(16).padStart(4, '0')).join(''),
    /** `rclone obscure`: AES-256-CTR under rclone's fixed key, IV prepended, base64url without padding. */
    rclone(password) {
      const key = createHash('sha256').update('rclone-corpus-key').digest();
      const iv = bytes(16);
      const c = createCipheriv('aes-256-ctr', key, iv);
      return Buffer.concat([iv, c.update(password, 'utf8'), c.final()]).toString('base64url');
    },
    wpSalt: () => s(64, WP_ALPHABET),
    djangoKey: (insecure) => `${insecure ? 'django-insecure-' : ''}${s(50, DJANGO_ALPHABET)}`,
    laravelKey: () => `base64:${bytes(32).toString('base64')}`,
    hushToken,
    awsKeyId: () => `AKIA${s(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`,
    /** A GitHub token with its CRC-32 checksum (GitHub's own format). */
    github(letter) {
      const body = s(30, B62);
      return `gh${letter}_${body}${checksumSuffix(body)}`;
    },
    /** `hush-share-<set>-<n>-<base64url>-<first 4 bytes of SHA-256 of the rest, hex>`. */
    hushShare(setId, n) {
      const body = `hush-share-${setId}-${n}-${bytes(33).toString('base64url')}`;
      return `${body}-${createHash('sha256').update(body).digest().subarray(0, 4).toString('hex')}`;
    },
    secretId: () => s(40, B62),
    /** `hush generate api-key --prefix P`: `P_` + 43 base62 + base62 CRC-32 of everything before. */
    apiKey(prefix) {
      const body = `${prefix}_${s(43, B62)}`;
      return `${body}${checksumSuffix(body)}`;
    },
    jwk(kind) {
      const { privateKey } =
        kind === 'ec'
          ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
          : kind === 'okp'
            ? generateKeyPairSync('ed25519')
            : generateKeyPairSync('rsa', { modulusLength: 1024 });
      return privateKey.export({ format: 'jwk' });
    },
  };
}
