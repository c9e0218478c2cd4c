import http from 'node:http';

/** A reply from {@link rawRequest}. */
export interface RawReply {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
  readonly json: unknown;
}

/**
 * One HTTP request with full control of headers (Host, Content-Type) and body bytes, which `fetch` does not give
 * (it sets Host itself and re-encodes bodies). Loopback test servers only.
 */
export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: options.method ?? 'GET', headers: options.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      },
    );
    // A server may answer (401, 413) before it has read a large body and then close: the reply still counts.
    let answered = false;
    req.on('response', () => {
      answered = true;
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** The `error.code` of a Hush error reply, if any. */
export function errorCode(reply: { json: unknown }): string | undefined {
  return (reply.json as { error?: { code?: string } } | undefined)?.error?.code;
}
