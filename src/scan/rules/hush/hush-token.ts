import { createHash } from 'node:crypto';
import { apiKey, verifyApiKeyChecksum } from '../../../core/generate/api-key.js';
import { checksumSuffix } from '../../checksum/checksum-token.js';
import { isWellFormedHushToken } from '../../checksum/hush-token.js';
import type { Rule } from '../rule.js';
import { patternRule, tokenRule } from '../shared/define-rule.js';
import { B64URL, fake } from '../shared/fake-value.js';

const hushToken = (kind: string, seed: string) => {
  const covered = `hush_${kind}_${fake(seed, 43)}`;
  return `${covered}${checksumSuffix(covered)}`;
};

/** The first 4 bytes of SHA-256, hex: the check an unseal share carries (seal/shamir/share-codec.ts). */
const shareCheck = (body: string) =>
  createHash('sha256').update(body, 'utf8').digest().subarray(0, 4).toString('hex');

const share = (seed: string) => {
  const body = `hush-share-${fake(seed, 8, '0123456789abcdef')}-2-${fake(`${seed}d`, 44, B64URL)}`;
  return `${body}-${shareCheck(body)}`;
};

/** An API key as `hush generate api-key` makes it, from deterministic example randomness. */
const exampleApiKey = (prefix: string, seed: string) => {
  const body = `${prefix}_${fake(seed, 43)}`;
  return `${body}${checksumSuffix(body)}`;
};

/** True for the char code of 0-9, A-Z or a-z (NaN, past the end, is false). */
function isBase62Code(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/**
 * The pre-check of the API-key rule, whose keyword is `_`: a run of 22..90 base62 characters (16..64 random bytes
 * plus the checksum) must follow and end the word, so most underscores (snake_case names) fail on a character or two.
 */
function apiKeyFollows(text: string, end: number): boolean {
  // The engine passes the offset of the keyword's last character or the one after it: step over the `_`.
  const from = text.charCodeAt(end) === 95 ? end + 1 : end;
  // Most underscores join short words: the character 27 places on settles them before any walk.
  if (!isBase62Code(text.charCodeAt(from + 27)) || !isBase62Code(text.charCodeAt(from))) return false;
  let i = from;
  while (i < text.length && i - from <= 92) {
    if (!isBase62Code(text.charCodeAt(i))) break;
    i++;
  }
  const run = i - from;
  if (run < 28 || run > 92) return false;
  const next = text.charCodeAt(i);
  return next !== 95 && next !== 45;
}

/** Change the last checksum character, so the token keeps its shape but fails validation. */
const corrupt = (token: string) => `${token.slice(0, -1)}${token.endsWith('0') ? '1' : '0'}`;

export const hushRules: readonly Rule[] = [
  tokenRule({
    id: 'hush-token',
    title: 'Hush access token (service, batch or refresh)',
    severity: 'critical',
    // Checksum-verified: a placeholder word inside the random part (`Tbd`, `mock`) is chance, not a stand-in.
    allowPlaceholders: true,
    keywords: ['hush_'],
    token: 'hush_[sbr]_[0-9A-Za-z]{49}',
    validate: ({ secret }) => isWellFormedHushToken(secret),
    examples: [
      `HUSH_TOKEN=${hushToken('s', 'hush-1')}`,
      `hush login --token-stdin <<< "${hushToken('b', 'hush-2')}"`,
      `{"refresh_token": "${hushToken('r', 'hush-3')}"}`,
    ],
    falsePositives: [
      `HUSH_TOKEN=${corrupt(hushToken('s', 'hush-4'))}`,
      `HUSH_TOKEN=hush_x_${fake('hush-5', 49)}`,
      `HUSH_TOKEN=hush_s_${fake('hush-6', 40)}`,
    ],
  }),
  patternRule({
    id: 'hush-unseal-share',
    title: 'Hush unseal share (a threshold of them unseals the store)',
    severity: 'critical',
    allowPlaceholders: true,
    keywords: ['hush-share-'],
    pattern:
      /(?<![A-Za-z0-9_-])(?<secret>hush-share-[0-9a-f]{8}-[1-9][0-9]{0,2}-[A-Za-z0-9_-]{16,400}-[0-9a-f]{8})(?![A-Za-z0-9_-])/,
    // The share's own check (SHA-256 of everything before it) rejects mistyped shares and look-alikes offline.
    validate: ({ secret }) => shareCheck(secret.slice(0, -9)) === secret.slice(-8),
    examples: [`share 2: ${share('sh1')}`, `HUSH_UNSEAL_SHARES="${share('sh2')} ${share('sh3')}"`],
    falsePositives: [`share 2: ${share('sh4').slice(0, -8)}00000000`, 'hush-share-<set>-<n>-<data>-<check>'],
  }),
  patternRule({
    id: 'hush-approle-secret-id',
    title: 'Hush AppRole secret id (a machine login password)',
    severity: 'critical',
    keywords: ['secret_id', 'secretid', 'secret-id'],
    pattern:
      /[Ss][Ee][Cc][Rr][Ee][Tt][_-]?[Ii][Dd]["']?[ \t]{0,4}(?:[=:]|[ \t])[ \t]{0,4}["']?(?<secret>[0-9A-Za-z]{40})(?![0-9A-Za-z_-])/,
    minEntropy: 4.2,
    examples: [
      `HUSH_ROLE_ID=6f1c2a44-8d0e-4b5a-9c61-0f3b7a2e91d4\nHUSH_SECRET_ID=${fake('ar1', 40)}`,
      `-d '{"roleId":"6f1c2a44-8d0e-4b5a-9c61-0f3b7a2e91d4","secretId":"${fake('ar2', 40)}"}'`,
      `hush login --method approle --role-id "$ROLE" --secret-id ${fake('ar3', 40)}`,
    ],
    falsePositives: [
      'HUSH_SECRET_ID=$SECRET_ID',
      `secret_id_accessor: sid_${fake('ar4', 32)}`,
      'secret_id: 0000000000000000000000000000000000000000',
    ],
  }),
  patternRule({
    id: 'hush-generated-api-key',
    title: 'API key made by `hush generate api-key` (prefix_ + base62 + CRC-32, checksum-verified)',
    allowPlaceholders: true,
    keywords: ['_'],
    keywordFollows: apiKeyFollows,
    pattern: /(?<![A-Za-z0-9_-])(?<secret>[A-Za-z][A-Za-z0-9-]{0,31}_[0-9A-Za-z]{28,92})(?![A-Za-z0-9_-])/,
    validate: ({ secret }) => verifyApiKeyChecksum(secret),
    examples: [
      `PARTNER_KEY=${exampleApiKey('acme', 'ak1')}`,
      `key = "${exampleApiKey('orders-svc', 'ak2')}"`,
      `{"apiKey": "${apiKey({ prefix: 'Tenant', bytes: 24 })}"}`,
    ],
    falsePositives: [
      `PARTNER_KEY=${corrupt(exampleApiKey('acme', 'ak3'))}`,
      `user_id = "user_${fake('ak4', 49)}"`,
      'const snake_case_identifier_that_is_rather_long_indeed = 1;',
    ],
  }),
];
