import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { Readable } from 'node:stream';
import {
  addressAllowed,
  guardedLookup,
  type OutboundAllowList,
  outboundRefused,
  portOf,
} from './outbound-allow-list.js';

/** A network failure shaped like fetch's (`TypeError` whose `cause.code` is the errno code). */
function fetchFailed(cause: unknown): TypeError {
  return Object.assign(new TypeError('fetch failed'), { cause });
}

/**
 * GET `url` as `fetch` would (no redirects followed, `signal` aborts), but connecting only where `allow` lets it: the
 * name is resolved once, at connect time, and the address checked is the address used (see guardedLookup). Resolves
 * with a web `Response` whose body streams; rejects like fetch (`TypeError`, `cause.code` EHUSHOUTBOUND when refused).
 */
export function guardedGet(url: URL, options: GuardedOptions): Promise<Response> {
  return guardedRequest(url, 'GET', options);
}

/** POST `body` to `url` as {@link guardedGet} GETs (same allow-list check at connect time, no redirects followed). */
export function guardedPost(url: URL, body: string, options: GuardedOptions): Promise<Response> {
  return guardedRequest(url, 'POST', options, body);
}

interface GuardedOptions {
  readonly allow: OutboundAllowList;
  readonly signal: AbortSignal;
  readonly headers: Headers | Record<string, string>;
}

function guardedRequest(
  url: URL,
  method: 'GET' | 'POST',
  options: GuardedOptions,
  body?: string,
): Promise<Response> {
  const port = portOf(url);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host) && !addressAllowed(options.allow, host, port))
    return Promise.reject(fetchFailed(outboundRefused()));
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<Response>((resolve, reject) => {
    const req = send(
      url,
      {
        method,
        headers: {
          ...Object.fromEntries(new Headers(options.headers)),
          ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }),
        },
        signal: options.signal,
        lookup: guardedLookup(options.allow, port),
      },
      (res) => {
        const status = res.statusCode ?? 0;
        const headers = new Headers();
        for (const [k, v] of Object.entries(res.headers))
          if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
        const bodyless = status === 204 || status === 304 || status < 200;
        if (bodyless) res.resume();
        resolve(
          new Response(bodyless ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>), {
            status: status < 200 || status > 599 ? 502 : status,
            headers,
          }),
        );
      },
    );
    req.on('error', (err) => reject(fetchFailed(err)));
    req.end(body);
  });
}
