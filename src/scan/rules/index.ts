/**
 * PLACEHOLDER catalogue: five starter rules so the engine can be built and tested before the rules branch lands.
 * The rules branch replaces this file with the full catalogue (same export: `ALL_RULES`).
 */
import { crc32 } from '../engine/crc32.js';
import type { Rule } from './rule.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Base62 of a 32-bit number, left-padded to 6 characters (GitHub token checksum encoding). */
function base62Checksum(n: number): string {
  let out = '';
  let v = n >>> 0;
  while (v > 0) {
    out = BASE62[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out.padStart(6, '0');
}

/** True when a `ghp_` token's last 6 characters are the base62 CRC32 of its 30-character body. */
export function githubChecksumOk(token: string): boolean {
  const body = token.slice(4, 34);
  return token.length === 40 && base62Checksum(crc32(Buffer.from(body, 'latin1'))) === token.slice(34);
}

/** Build a valid-looking GitHub classic token from a 30-character body (for examples and tests). */
export function githubTokenFor(body: string): string {
  return `ghp_${body}${base62Checksum(crc32(Buffer.from(body, 'latin1')))}`;
}

const pemHeader = '-----BEGIN RSA PRIVATE KEY-----';
const pemBody =
  'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\nVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n';

/** The built-in catalogue (placeholder: five starter rules). */
export const ALL_RULES: readonly Rule[] = [
  {
    id: 'aws-access-key-id',
    title: 'AWS access key id',
    severity: 'high',
    keywords: ['akia', 'asia'],
    pattern: /\b(?<secret>(?:AKIA|ASIA)[A-Z2-7]{16})\b/,
    examples: ['aws_access_key_id = AKIAZ4XQ7RZ2LMNBVC3D'],
    falsePositives: ['aws_access_key_id = AKIAIOSFODNN7EXAMPLE', 'AKIAzzzz'],
  },
  {
    id: 'github-pat-classic',
    title: 'GitHub personal access token (classic)',
    severity: 'critical',
    keywords: ['ghp_'],
    pattern: /\b(?<secret>ghp_[A-Za-z0-9]{36})\b/,
    validate: (ctx) => githubChecksumOk(ctx.secret),
    examples: [`token: ${githubTokenFor('R8fQz2LpX7vKc3NwT9mYb5HsD1gJa4')}`],
    falsePositives: ['token: ghp_R8fQz2LpX7vKc3NwT9mYb5HsD1gJa4000000'],
  },
  {
    id: 'pem-private-key',
    title: 'Private key (PEM, unencrypted)',
    severity: 'critical',
    keywords: ['private key-----'],
    pattern:
      /(?<secret>-----BEGIN (?<kind>RSA |EC |DSA |OPENSSH |PGP )?PRIVATE KEY(?: BLOCK)?-----[\s\S]{40,16384}?-----END \k<kind>?PRIVATE KEY(?: BLOCK)?-----)/,
    validate: (ctx) => !/Proc-Type:\s*4,ENCRYPTED/.test(ctx.secret),
    examples: [`${pemHeader}\n${pemBody}-----END RSA PRIVATE KEY-----\n`],
    falsePositives: [
      `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${pemBody}-----END ENCRYPTED PRIVATE KEY-----\n`,
      `${pemHeader}\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,1\n\n${pemBody}-----END RSA PRIVATE KEY-----\n`,
    ],
  },
  {
    id: 'generic-password-assignment',
    title: 'Password assigned in code or config',
    severity: 'medium',
    keywords: ['password', 'passwd', 'pwd'],
    pattern:
      /(?:password|passwd|pwd)["']?\s*[:=]\s*(?:"(?<secret>[^"\s]{8,128})"|'(?<secret2>[^'\s]{8,128})'|(?<secret3>[^\s"',;`]{8,128}))/i,
    minEntropy: 3,
    examples: ['DB_PASSWORD=q7Vz!r2Lp9Xw', 'password: "Tr0ub4dor&3xQ"'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal placeholder is the look-alike
    falsePositives: ['password = changeme', 'password: aaaaaaaaaaaa', 'password: ${DB_PASSWORD}'],
  },
  {
    id: 'slack-bot-token',
    title: 'Slack bot token',
    severity: 'high',
    keywords: ['xoxb-'],
    pattern: /\b(?<secret>xoxb-\d{10,13}-\d{10,13}(?:-[A-Za-z0-9]{24,34})?)\b/,
    examples: ['SLACK_TOKEN=xoxb-1234567890123-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx'],
    falsePositives: ['xoxb-123-456'],
  },
];
