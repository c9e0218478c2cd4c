import { readFileSync } from 'node:fs';
import { isLoopbackHost } from '../config/listen-address.js';
import { HushError } from '../core/errors/hush-error.js';

/**
 * Check a webhook URL: HTTPS anywhere, plain HTTP only to loopback (alerts name identities and paths; they must
 * not cross a network in clear). Throws HUSH_E_CONFIG naming the URL's origin (never its query, which may hold a key).
 */
export function checkWebhookUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new HushError(
      'HUSH_E_CONFIG',
      'alerts.webhooks[].url is not a URL; use e.g. https://alerts.example/hush',
    );
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url;
  throw new HushError(
    'HUSH_E_CONFIG',
    `webhook ${url.protocol}//${url.host} is not allowed: use https://, or http:// to a loopback address (127.0.0.1, ::1, localhost)`,
  );
}

/** Minimum secret length: shorter HMAC keys are guessable. */
const MIN_SECRET_BYTES = 16;

/** Read a webhook signing secret (trimmed); HUSH_E_CONFIG naming the file when unreadable or too short. */
export function readWebhookSecret(file: string): Buffer {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw new HushError(
      'HUSH_E_CONFIG',
      `cannot read the webhook secret file ${file}${typeof code === 'string' ? ` (${code})` : ''}; create it with mode 0600`,
    );
  }
  const secret = Buffer.from(text.trim(), 'utf8');
  if (secret.length < MIN_SECRET_BYTES) {
    throw new HushError(
      'HUSH_E_CONFIG',
      `the webhook secret in ${file} is ${secret.length} bytes; use at least ${MIN_SECRET_BYTES} (e.g. openssl rand -hex 32)`,
    );
  }
  return secret;
}
