import type { OutboundAllowList } from '../net/outbound-allow-list.js';
import { guardedGet } from '../net/outbound-get.js';

/** Why a fetch of a JWT role's keys or discovery document failed: a short reason for a one-line error. */
export class FetchProblem extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'FetchProblem';
  }
}

/** Limits of one fetch. */
export interface FetchLimits {
  /** The request's abort signal; when it fires because of a timeout, the problem says "timed out after ...". */
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly headers?: Headers;
  /** On a server: connect only where the admin's outbound allow-list lets caller-set URLs go (checked at connect). */
  readonly allow?: OutboundAllowList;
}

/** `5000` -> `5 s`, `300` -> `300 ms`. */
export function formatMs(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'connection closed',
  EHUSHOUTBOUND: 'the host resolved to an address outside the outbound allow-list',
};

/** The reason a fetch rejected: a timeout, a named network error, or the TLS/undici code (never a URL). */
function networkReason(err: unknown, limits: FetchLimits): string {
  if (limits.signal.aborted) return `timed out after ${formatMs(limits.timeoutMs)}`;
  const cause = (err as { cause?: { code?: unknown } } | undefined)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  if (code) return NETWORK_REASONS[code] ?? `network error ${code}`;
  return 'network error';
}

/** Read at most `maxBytes` of a body, stopping (and cancelling) as soon as it is over: a huge body is never buffered. */
async function readCapped(res: Response, maxBytes: number): Promise<string> {
  const tooLarge = () => new FetchProblem(`the response is over ${formatBytes(maxBytes)}`);
  if (Number(res.headers.get('content-length') ?? 0) > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function formatBytes(n: number): string {
  return n >= 1 << 20 && n % (1 << 20) === 0 ? `${n / (1 << 20)} MiB` : `${n} bytes`;
}

/**
 * GET `url` and parse its JSON body: exactly 200 (redirects are not followed: the URL a role names is the one
 * trusted), at most `maxBytes`, within the signal's deadline. Throws FetchProblem with a short reason.
 */
export async function fetchJson(url: string, limits: FetchLimits): Promise<unknown> {
  let text: string;
  try {
    const headers = limits.headers ?? { accept: 'application/json' };
    const res = limits.allow
      ? await guardedGet(new URL(url), { allow: limits.allow, signal: limits.signal, headers })
      : await fetch(url, { method: 'GET', redirect: 'manual', signal: limits.signal, headers });
    if (res.status !== 200) {
      await res.body?.cancel().catch(() => undefined);
      const redirect = res.status >= 300 && res.status < 400;
      throw new FetchProblem(
        `HTTP ${res.status}${redirect ? '; redirects are not followed, give the final URL' : ''}`,
      );
    }
    text = await readCapped(res, limits.maxBytes);
  } catch (err) {
    if (err instanceof FetchProblem) throw err;
    throw new FetchProblem(networkReason(err, limits));
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new FetchProblem('the response is not JSON');
  }
}
