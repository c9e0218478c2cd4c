import type { MessageTable } from '../message-template.js';

/** Messages raised under src/alerts/ (ids are unique across every domain file). */
export const alertsMessages = {
  ALERTS_WEBHOOKS_URL_NOT_URL: {
    code: 'HUSH_E_CONFIG',
    template: 'alerts.webhooks[].url is not a URL',
    hint: 'use e.g. https://alerts.example/hush',
  },
  WEBHOOK_NOT_ALLOWED_USE_HTTPS: {
    code: 'HUSH_E_CONFIG',
    template:
      'webhook {protocol}//{host} is not allowed: use https://, or http:// to a loopback address (127.0.0.1, ::1, localhost)',
  },
  CANNOT_READ_WEBHOOK_SECRET_FILE: {
    code: 'HUSH_E_CONFIG',
    template: 'cannot read the webhook secret file {file}{value}',
    hint: 'create it with mode 0600',
  },
  WEBHOOK_SECRET_BYTES: {
    code: 'HUSH_E_CONFIG',
    template: 'the webhook secret in {file} is {length} bytes',
    hint: 'use at least {minSecretBytes} (e.g. openssl rand -hex 32)',
  },
} as const satisfies MessageTable;
