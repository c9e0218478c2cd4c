import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import {
  addressAllowed,
  guardedLookup,
  type OutboundAllowList,
  outboundRefused,
  portOf,
} from './outbound-allow-list.js';

/**
 * POST a JSON body and resolve with the status (the body is discarded; redirects are not followed). With `allow`,
 * the address is checked when the socket connects (see {@link guardedLookup}); a refused address rejects with code
 * `EHUSHOUTBOUND`. Network errors reject with their errno code.
 */
export function postJson(
  url: URL,
  body: string,
  options: { readonly timeoutMs: number; readonly allow?: OutboundAllowList },
): Promise<number> {
  const port = portOf(url);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (options.allow && isIP(host) && !addressAllowed(options.allow, host, port))
    return Promise.reject(outboundRefused());
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<number>((resolve, reject) => {
    const req = send(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        timeout: options.timeoutMs,
        ...(options.allow ? { lookup: guardedLookup(options.allow, port) } : {}),
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(body);
  });
}
