import { readFileSync } from 'node:fs';
import { isLoopbackHost } from '../config/listen-address.js';
import { hushError } from '../core/errors/index.js';

/**
 * Check a webhook URL: HTTPS anywhere, plain HTTP only to loopback (alerts name identities and paths; they must
 * not cross a network in clear). Throws HUSH_E_CONFIG naming the URL's origin (never its query, which may hold a key).
 */
export function checkWebhookUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw hushError('ALERTS_WEBHOOKS_URL_NOT_URL');
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url;
  throw hushError('WEBHOOK_NOT_ALLOWED_USE_HTTPS', { protocol: url.protocol, host: url.host });
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
    throw hushError('CANNOT_READ_WEBHOOK_SECRET_FILE', {
      file,
      value: typeof code === 'string' ? ` (${code})` : '',
    });
  }
  const secret = Buffer.from(text.trim(), 'utf8');
  if (secret.length < MIN_SECRET_BYTES) {
    throw hushError('WEBHOOK_SECRET_BYTES', {
      file,
      length: secret.length,
      minSecretBytes: MIN_SECRET_BYTES,
    });
  }
  return secret;
}
