import { ERROR_CATALOGUE, type ErrorCode, HushError, hushError } from '../core/errors/index.js';
import type { ResponseCache } from './response-cache.js';
import { backoffDelay, isIdempotent, type RetryOptions } from './retry-policy.js';

/** One API call: method, path below the address (already encoded), optional query and JSON body. */
export interface ApiRequest {
  readonly method: 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly body?: unknown;
  /**
   * A GET whose reply is new each time (e.g. issuing credentials): never answered from or stored in the cache, and
   * not sent again after a network error or timeout, since the first may have been served (a 503, refused before any
   * work, is still retried).
   */
  readonly fresh?: boolean;
}

/** What the transport is built from. */
export interface TransportOptions {
  readonly address: string;
  readonly token?: string;
  readonly fetch: typeof fetch;
  readonly retry: RetryOptions;
  readonly cache?: ResponseCache;
  readonly timeoutMs: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Sends API requests: JSON in and out, token header, retries, cache, and coded errors back as HushError. */
export type Transport = <T>(request: ApiRequest) => Promise<T>;

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Build the transport over `fetch` (Node's global fetch keeps connections alive through undici's dispatcher). */
export function createTransport(options: TransportOptions): Transport {
  const base = options.address.replace(/\/+$/, '');
  const sleep = options.sleep ?? sleepFor;
  return async <T>(request: ApiRequest): Promise<T> => {
    const url = base + request.path + queryString(request.query);
    // Seal state must never be stale (a retry loop waits on it), so /v1/sys/ replies are not cached.
    const cacheable =
      request.method === 'GET' && request.fresh !== true && !request.path.startsWith('/v1/sys/');
    if (cacheable) {
      const hit = options.cache?.get(url);
      if (hit !== undefined) return hit as T;
    } else if (request.method !== 'GET') {
      options.cache?.clear(); // a write may change anything we hold
    }
    const retries = isIdempotent(request.method) ? options.retry.attempts - 1 : 0;
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await send(options, url, request);
      } catch (err) {
        if (err instanceof HushError) throw err; // a configuration error of the fetch (e.g. a CA with http://)
        // A refused connection never reached the server, so even a `fresh` request may be sent again.
        if (attempt < retries && (request.fresh !== true || neverSent(err))) {
          await sleep(backoffDelay(attempt, options.retry));
          continue;
        }
        throw unreachable(base, err, attempt + 1);
      }
      if (response.status === 503 && attempt < retries) {
        await response.body?.cancel().catch(() => undefined);
        await sleep(backoffDelay(attempt, options.retry));
        continue;
      }
      const result = await readReply<T>(response).catch((err: unknown) => {
        throw options.token === undefined ? tokenMissing(err) : err;
      });
      if (cacheable) options.cache?.set(url, result);
      return result;
    }
  };
}

function send(options: TransportOptions, url: string, request: ApiRequest): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.token) headers['x-hush-token'] = options.token;
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  return options.fetch(url, {
    method: request.method,
    headers,
    ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
    signal: AbortSignal.timeout(options.timeoutMs),
  });
}

function queryString(query: ApiRequest['query']): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) params.set(k, String(v));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Parse a reply; a Hush error body becomes the same HushError (code, message, id, hint, details) the server raised. */
async function readReply<T>(response: Response): Promise<T> {
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (response.ok) {
    if (json === undefined && text !== '') {
      throw hushError('SERVER_REPLY_NOT_JSON', { status: response.status });
    }
    return json as T;
  }
  const error = (
    json as
      | { error?: { code?: unknown; message?: unknown; id?: unknown; hint?: unknown; details?: unknown } }
      | undefined
  )?.error;
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    const known = Object.hasOwn(ERROR_CATALOGUE, error.code);
    const details =
      error.details && typeof error.details === 'object'
        ? (error.details as HushError['details'])
        : undefined;
    return Promise.reject(
      known
        ? new HushError(error.code as ErrorCode, error.message, details, originOf(error))
        : hushError('SERVER_CODE_UPGRADE_CLIENT', { message: error.message, code: error.code }),
    );
  }
  throw hushError('SERVER_ANSWERED_HTTP_WITHOUT_HUSH', { status: response.status });
}

/** The catalogue id and hint a server sent with an error (an older server sends neither). */
function originOf(error: { id?: unknown; hint?: unknown }): ConstructorParameters<typeof HushError>[3] {
  if (typeof error.id !== 'string') return undefined;
  return { messageId: error.id, hint: typeof error.hint === 'string' ? error.hint : undefined };
}

function unreachable(base: string, err: unknown, tries: number): HushError {
  const cause = (err as { cause?: { code?: string } })?.cause?.code ?? (err as Error)?.name ?? 'error';
  return hushError('CANNOT_REACH_HUSH_SERVER_AFTER', {
    base,
    cause,
    tries,
    value: tries === 1 ? 'try' : 'tries',
  });
}

/** Whether a fetch failure happened before the request could reach the server (the connection was refused). */
function neverSent(err: unknown): boolean {
  return (err as { cause?: { code?: unknown } })?.cause?.code === 'ECONNREFUSED';
}

/** A 401 to a client that sent no token: say what to set, not which HTTP header the server reads. */
function tokenMissing(err: unknown): unknown {
  if (!(err instanceof HushError) || err.code !== 'HUSH_E_UNAUTHENTICATED') return err;
  return hushError('NO_TOKEN_SENT_SET_HUSH');
}
