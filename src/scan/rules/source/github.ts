import { checksumMatches, checksumSuffix } from '../../checksum/checksum-token.js';
import type { Rule, RuleMatchContext } from '../rule.js';
import { tokenRule } from '../shared/define-rule.js';
import { fake, fakeChecksummed } from '../shared/fake-value.js';

/** The last 6 characters are the base62 CRC-32 of the 30 random characters after the `gh?_` prefix. */
function validGithubChecksum({ secret }: RuleMatchContext): boolean {
  const body = secret.slice(4);
  return checksumMatches(body.slice(0, 30), body.slice(30));
}

/** A checksum-valid token for a given 30-character body (the body may hold any word by chance). */
const withChecksum = (prefix: string, body: string) => `${prefix}${body}${checksumSuffix(body)}`;

const KINDS = [
  ['p', 'github-pat-classic', 'GitHub personal access token (classic)'],
  ['o', 'github-oauth-token', 'GitHub OAuth access token'],
  ['u', 'github-user-to-server-token', 'GitHub App user-to-server token'],
  ['s', 'github-server-to-server-token', 'GitHub App installation (server-to-server) token'],
  ['r', 'github-refresh-token', 'GitHub App refresh token'],
] as const;

const classic: Rule[] = KINDS.map(([letter, id, title]) => {
  const good = fakeChecksummed(`gh${letter}_`, `${id}-1`);
  const other = fakeChecksummed(`gh${letter}_`, `${id}-2`);
  const badSum = `${good.slice(0, -6)}${good.slice(-6) === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA'}`;
  return tokenRule({
    id,
    title,
    severity: 'critical',
    keywords: [`gh${letter}_`],
    token: `gh${letter}_[A-Za-z0-9]{36}`,
    // Checksum-verified: a placeholder word inside the random part (`Tbd`, `mock`) is chance, not a stand-in.
    allowPlaceholders: true,
    validate: validGithubChecksum,
    examples: [
      `GH_TOKEN=${withChecksum(`gh${letter}_`, 'R8fQmockz2LpX7vKTbd3NwT9mYb5Hs')}`,
      `GITHUB_TOKEN=${good}`,
      `const octokit = new Octokit({ auth: "${other}" });`,
      `git clone https://x-access-token:${good}@github.com/acme/api.git`,
    ],
    falsePositives: [
      `GITHUB_TOKEN=${badSum}`,
      `token: gh${letter}_${fake(`${id}-3`, 30)}`,
      `gh${letter}_${fake(`${id}-4`, 36)}`,
    ],
  });
});

const fineGrained = (seed: string) => `github_pat_${fake(seed, 22)}_${fake(`${seed}-b`, 59)}`;

export const githubRules: readonly Rule[] = [
  ...classic,
  tokenRule({
    id: 'github-fine-grained-pat',
    title: 'GitHub fine-grained personal access token',
    severity: 'critical',
    keywords: ['github_pat_'],
    token: 'github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}',
    minEntropy: 4.5,
    examples: [`export GH_TOKEN=${fineGrained('gh-fg-1')}`, `{"token": "${fineGrained('gh-fg-2')}"}`],
    falsePositives: [
      `GH_TOKEN=github_pat_${fake('gh-fg-3', 22)}_${fake('gh-fg-4', 30)}`,
      'GH_TOKEN=github_pat_xxx',
    ],
  }),
];
