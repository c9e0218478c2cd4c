import type { Rule } from '../rule.js';
import { contextRule, patternRule } from '../shared/define-rule.js';
import { B64URL, b64, fake, fakeUuid, HEX, LOWER_ALNUM } from '../shared/fake-value.js';

const digits = (seed: string, n: number) => fake(seed, n, '0123456789');
const discordBot = (seed: string) =>
  `${b64(`1${digits(seed, 17)}`).replace(/=+$/, '')}.${fake(`${seed}-t`, 6, B64URL)}.${fake(`${seed}-h`, 38, B64URL)}`;

export const chatOtherRules: readonly Rule[] = [
  contextRule({
    id: 'discord-bot-token',
    title: 'Discord bot token',
    severity: 'critical',
    keywords: ['discord', 'bot_token'],
    context: 'discord|bot_?token',
    // base64 of the bot's numeric id, a timestamp part, and an HMAC part.
    secret: '[MNO][A-Za-z0-9_-]{23,27}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,40}',
    minEntropy: 4,
    validate: ({ secret }) =>
      /^\d{17,20}$/.test(Buffer.from(secret.split('.')[0]!, 'base64').toString('latin1')),
    examples: [
      `DISCORD_BOT_TOKEN=${discordBot('dc1')}`,
      `client.login(discord_token := "${discordBot('dc2')}")`,
    ],
    falsePositives: [
      `DISCORD_BOT_TOKEN=M${fake('dc3', 23, B64URL)}.${fake('dc4', 6, B64URL)}.${fake('dc5', 38, B64URL)}`,
      'DISCORD_BOT_TOKEN=your.token.here',
    ],
  }),
  patternRule({
    id: 'discord-webhook-url',
    title: 'Discord webhook URL',
    keywords: ['discord.com/api/webhooks', 'discordapp.com/api/webhooks'],
    pattern:
      /https:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d{17,20}\/(?<secret>[A-Za-z0-9_-]{60,72})(?![A-Za-z0-9_-])/,
    minEntropy: 4,
    examples: [`WEBHOOK=https://discord.com/api/webhooks/1${digits('dw1', 18)}/${fake('dw2', 68, B64URL)}`],
    falsePositives: ['https://discord.com/api/webhooks/123456789012345678/<token>'],
  }),
  patternRule({
    id: 'telegram-bot-token',
    title: 'Telegram bot token',
    keywords: [':aa'],
    // The numeric bot id may follow `bot` in API URLs, so only digits are forbidden before it.
    pattern: /(?<![0-9])(?<secret>\d{8,10}:AA[A-Za-z0-9_-]{33})(?![A-Za-z0-9_-])/,
    minEntropy: 3.8,
    examples: [
      `TELEGRAM_BOT_TOKEN=${digits('tg1', 10)}:AA${fake('tg2', 33, B64URL)}`,
      `https://api.telegram.org/bot${digits('tg3', 9)}:AA${fake('tg4', 33, B64URL)}/sendMessage`,
    ],
    falsePositives: [
      'TELEGRAM_BOT_TOKEN=123456789:AAxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'bot 12345678:AAshort',
    ],
  }),
  patternRule({
    id: 'microsoft-teams-webhook',
    title: 'Microsoft Teams incoming webhook URL',
    keywords: ['webhook.office.com', 'logic.azure.com'],
    pattern:
      /https:\/\/(?<secret>[a-z0-9-]{1,40}\.webhook\.office\.com\/webhookb2\/[0-9a-f-]{36}@[0-9a-f-]{36}\/IncomingWebhook\/[0-9a-f]{32}\/[0-9a-f-]{36}(?:\/[A-Za-z0-9_-]{20,60})?|prod-\d{2}\.[a-z]{2,12}\.logic\.azure\.com:443\/workflows\/[0-9a-f]{32}\/triggers\/manual\/paths\/invoke\?[^\s"']{0,120}sig=[A-Za-z0-9_-]{43})/,
    examples: [
      `TEAMS_WEBHOOK=https://acme.webhook.office.com/webhookb2/${fakeUuid('tm1')}@${fakeUuid('tm2')}/IncomingWebhook/${fake('tm3', 32, HEX)}/${fakeUuid('tm4')}`,
    ],
    falsePositives: ['https://acme.webhook.office.com/webhookb2/<id>@<tenant>/IncomingWebhook/<hook>/<user>'],
  }),
  contextRule({
    id: 'mattermost-access-token',
    title: 'Mattermost personal access / bot token',
    keywords: ['mattermost'],
    context: 'mattermost',
    secret: '[a-z0-9]{26}',
    minEntropy: 3.8,
    examples: [`MATTERMOST_TOKEN=${fake('mm1', 26, LOWER_ALNUM)}`],
    falsePositives: ['MATTERMOST_URL=https://chat.acme.dev'],
  }),
  contextRule({
    id: 'line-channel-secret',
    title: 'LINE Messaging API channel secret / access token',
    keywords: ['line_channel', 'linechannel'],
    context: 'line_?channel_?(?:secret|access_?token)',
    secret: '[a-f0-9]{32}|[A-Za-z0-9+/=]{150,180}',
    minEntropy: 3.3,
    examples: [`LINE_CHANNEL_SECRET=${fake('line1', 32, HEX)}`],
    falsePositives: [`LINE_CHANNEL_SECRET=\${LINE_SECRET}`],
  }),
];
