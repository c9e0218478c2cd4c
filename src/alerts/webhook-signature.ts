import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header carrying the signature: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`. */
export const SIGNATURE_HEADER = 'x-hush-signature';

/** Sign `body` at `unixSeconds`: the `X-Hush-Signature` header value. */
export function signWebhook(secret: Uint8Array | string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/** Options of {@link verifyWebhook}. */
export interface VerifyWebhookOptions {
  /** Largest accepted age (and clock skew) of the timestamp, in seconds (default 300): replays fail after it. */
  readonly toleranceSeconds?: number;
  /** Current time in unix seconds (default: the system clock). */
  readonly nowSeconds?: number;
}

/**
 * For webhook receivers: true when `header` is a valid Hush signature of the raw request `body` under `secret`,
 * made within the tolerance. Compares in constant time; accepts several `v1=` entries (secret rotation).
 *
 * @example
 * if (!verifyWebhook(secret, rawBody, req.headers['x-hush-signature'])) return res.writeHead(401).end();
 */
export function verifyWebhook(
  secret: Uint8Array | string,
  body: string,
  header: string | undefined,
  options: VerifyWebhookOptions = {},
): boolean {
  if (!header) return false;
  let t: number | undefined;
  const sigs: string[] = [];
  for (const part of header.split(',')) {
    const [k, v] = part.trim().split('=', 2);
    if (k === 't' && v && /^\d{1,12}$/.test(v)) t = Number(v);
    else if (k === 'v1' && v && /^[0-9a-f]{64}$/.test(v)) sigs.push(v);
  }
  if (t === undefined || sigs.length === 0) return false;
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - t) > (options.toleranceSeconds ?? 300)) return false;
  const want = Buffer.from(createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'));
  return sigs.some((s) => timingSafeEqual(Buffer.from(s), want));
}
