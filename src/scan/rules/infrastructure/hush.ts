import { checksumSuffix } from '../../checksum/checksum-token.js';
import { isWellFormedHushToken } from '../../checksum/hush-token.js';
import type { Rule } from '../rule.js';
import { tokenRule } from '../shared/define-rule.js';
import { fake } from '../shared/fake-value.js';

const hushToken = (kind: string, seed: string) => {
  const covered = `hush_${kind}_${fake(seed, 43)}`;
  return `${covered}${checksumSuffix(covered)}`;
};

/** Change the last checksum character, so the token keeps its shape but fails validation. */
const corrupt = (token: string) => `${token.slice(0, -1)}${token.endsWith('0') ? '1' : '0'}`;

export const hushRules: readonly Rule[] = [
  tokenRule({
    id: 'hush-token',
    title: 'Hush access token (service, batch or refresh)',
    severity: 'critical',
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
];
