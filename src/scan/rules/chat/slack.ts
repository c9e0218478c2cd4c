import type { Rule } from '../rule.js';
import { patternRule, tokenRule } from '../shared/define-rule.js';
import { B62, fake, LOWER_ALNUM, UPPER_ALNUM } from '../shared/fake-value.js';

const digits = (seed: string, n: number) => fake(seed, n, '0123456789');
const bot = (seed: string) =>
  `xoxb-${digits(`${seed}a`, 12)}-${digits(`${seed}b`, 13)}-${fake(`${seed}c`, 24)}`;
const user = (seed: string) =>
  `xoxp-${digits(`${seed}a`, 12)}-${digits(`${seed}b`, 12)}-${digits(`${seed}c`, 13)}-${fake(`${seed}d`, 32, '0123456789abcdef')}`;

export const slackRules: readonly Rule[] = [
  tokenRule({
    id: 'slack-bot-token',
    title: 'Slack bot token',
    severity: 'critical',
    keywords: ['xoxb-'],
    token: 'xoxb-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{24,34}',
    boundary: 'A-Za-z0-9_-',
    examples: [`SLACK_BOT_TOKEN=${bot('sb1')}`, `const slack = new WebClient('${bot('sb2')}');`],
    falsePositives: [
      'SLACK_BOT_TOKEN=xoxb-your-token-here',
      'SLACK_BOT_TOKEN=xoxb-0000000000-0000000000-XXXXXXXXXXXXXXXXXXXXXXXX',
    ],
  }),
  tokenRule({
    id: 'slack-user-token',
    title: 'Slack user token',
    severity: 'critical',
    keywords: ['xoxp-'],
    token: 'xoxp-[0-9]{10,13}-[0-9]{10,13}-[0-9]{10,13}-[a-f0-9]{32}',
    boundary: 'A-Za-z0-9_-',
    examples: [`slack_token: ${user('su1')}`],
    falsePositives: ['slack_token: xoxp-1234-5678-abcd'],
  }),
  tokenRule({
    id: 'slack-app-token',
    title: 'Slack app-level token',
    keywords: ['xapp-'],
    token: 'xapp-\\d-[A-Z0-9]{9,12}-\\d{10,13}-[a-f0-9]{64}',
    boundary: 'A-Za-z0-9_-',
    examples: [
      `SLACK_APP_TOKEN=xapp-1-A${fake('sa1', 10, UPPER_ALNUM)}-${digits('sa2', 13)}-${fake('sa3', 64, '0123456789abcdef')}`,
    ],
    falsePositives: ['SLACK_APP_TOKEN=xapp-1-AXXXXXXX-123-abc'],
  }),
  tokenRule({
    id: 'slack-workspace-token',
    title: 'Slack workspace access / refresh token (xoxa, xoxr, xoxs)',
    keywords: ['xoxa-', 'xoxr-', 'xoxs-'],
    token: 'xox[ars]-(?:\\d-)?[0-9A-Za-z]{8,14}(?:-[0-9A-Za-z]{8,48}){1,4}',
    boundary: 'A-Za-z0-9_-',
    minEntropy: 3.5,
    examples: [
      `refresh_token = "xoxr-${digits('sw1', 12)}-${fake('sw2', 40, LOWER_ALNUM)}"`,
      `SLACK_TOKEN=xoxa-2-${digits('sw3', 12)}-${digits('sw4', 12)}-${fake('sw5', 32, '0123456789abcdef')}`,
    ],
    falsePositives: ['token = "xoxa-token"'],
  }),
  tokenRule({
    id: 'slack-config-token',
    title: 'Slack configuration access / refresh token',
    keywords: ['xoxe'],
    token: 'xoxe(?:\\.xox[bp])?-\\d-[A-Z0-9]{140,170}',
    boundary: 'A-Za-z0-9_-',
    minEntropy: 3.8,
    examples: [
      `SLACK_CONFIG_TOKEN=xoxe.xoxp-1-${fake('sc1', 160, UPPER_ALNUM)}`,
      `refresh: xoxe-1-${fake('sc2', 146, UPPER_ALNUM)}`,
    ],
    falsePositives: ['SLACK_CONFIG_TOKEN=xoxe.xoxp-1-SHORT'],
  }),
  patternRule({
    id: 'slack-webhook-url',
    title: 'Slack incoming webhook URL',
    keywords: ['hooks.slack.com'],
    pattern:
      /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/(?<secret>T[A-Z0-9]{8,12}\/[A-Z0-9]{8,12}\/[A-Za-z0-9]{23,24})(?![A-Za-z0-9])/,
    minEntropy: 3.8,
    examples: [
      `SLACK_WEBHOOK_URL=https://hooks.slack.com/services/T${fake('sw-1', 8, UPPER_ALNUM)}/B${fake('sw-2', 10, UPPER_ALNUM)}/${fake('sw-3', 24, B62)}`,
    ],
    falsePositives: [
      'SLACK_WEBHOOK_URL=https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
      'https://hooks.slack.com/services/TXXX/BXXX/abc',
    ],
  }),
];
