import { Agent, request } from 'node:https';
import { hushError } from '../core/errors/index.js';

/** TLS trust of a client: the CA certificates (PEM) that may sign the server's certificate. */
export interface ClientTlsOptions {
  /** PEM certificate(s) of the CA(s) to trust instead of the system store (HUSH_CACERT for the CLI). */
  readonly ca: string | Buffer;
}

/**
 * A `fetch` over `node:https` that trusts `tls.ca`. Node's global fetch (undici) cannot take a CA per call without
 * the undici package, and NODE_EXTRA_CA_CERTS is read only at process start, so the client sends through this
 * instead when a CA is given. Connections are kept alive by one agent per client. Plain http:// URLs are refused:
 * a CA was asked for, so a cleartext address is a mistake.
 */
export function createTlsFetch(tls: ClientTlsOptions): typeof fetch {
  const agent = new Agent({ keepAlive: true, ca: tls.ca });
  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.protocol !== 'https:') {
        // Not a network failure: said as a configuration error (the transport passes a HushError through, unretried).
        reject(hushError('CA_TRUST_SET_HUSH_CACERT', { origin: url.origin }));
        return;
      }
      const headers = new Headers(init?.headers);
      const body = typeof init?.body === 'string' ? init.body : undefined;
      if (body !== undefined) headers.set('content-length', String(Buffer.byteLength(body)));
      const req = request(url, {
        agent,
        method: init?.method ?? 'GET',
        headers: Object.fromEntries(headers.entries()),
        ...(init?.signal ? { signal: init.signal } : {}),
      });
      // The same shape as a global fetch failure (TypeError with the socket error as cause), so callers report
      // e.g. "(DEPTH_ZERO_SELF_SIGNED_CERT)" the same way.
      // An aborted or timed-out call rejects with the signal's reason (a TimeoutError), as global fetch does.
      const fail = (err: unknown) =>
        reject(init?.signal?.aborted ? init.signal.reason : new TypeError('fetch failed', { cause: err }));
      req.on('error', fail);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', fail);
        res.on('end', () => {
          const replyHeaders = new Headers();
          for (const [k, v] of Object.entries(res.headers)) {
            if (typeof v === 'string') replyHeaders.set(k, v);
            else if (Array.isArray(v)) for (const one of v) replyHeaders.append(k, one);
          }
          const status = res.statusCode ?? 502;
          const empty = status === 204 || status === 304;
          resolve(new Response(empty ? null : Buffer.concat(chunks), { status, headers: replyHeaders }));
        });
      });
      req.end(body);
    });
}
