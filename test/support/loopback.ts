import http from 'node:http';

/** One request to a real server on loopback, in the shape of `fastify.inject`'s options so suites convert 1:1. */
export interface LoopbackRequest {
  readonly method?: string;
  /** Path and query, sent exactly as given (no URL normalisation: encoded separators and `//` reach the server). */
  readonly url: string;
  readonly headers?: Record<string, string>;
  /** An object is sent as JSON (with its content type, unless one is given); a string or Buffer as is. */
  readonly payload?: object | string | Buffer;
}

/** A reply read off the socket, in the shape of `fastify.inject`'s response. */
export interface LoopbackReply {
  readonly statusCode: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  // biome-ignore lint/suspicious/noExplicitAny: any: test assertions read arbitrary JSON fields, as inject's json()
  json(): any;
}

/** A client that sends {@link LoopbackRequest}s to `baseUrl` (a loopback test server) over real HTTP. */
export function loopbackClient(baseUrl: string): (request: LoopbackRequest) => Promise<LoopbackReply> {
  const { hostname, port } = new URL(baseUrl);
  return (request) =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string> = { ...request.headers };
      let body: string | Buffer | undefined;
      if (typeof request.payload === 'string' || Buffer.isBuffer(request.payload)) body = request.payload;
      else if (request.payload !== undefined) {
        body = JSON.stringify(request.payload);
        if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
          headers['content-type'] = 'application/json';
      }
      const req = http.request(
        { host: hostname, port, path: request.url, method: request.method ?? 'GET', headers, agent: false },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({
              statusCode: res.statusCode ?? 0,
              headers: res.headers,
              body: text,
              json: () => JSON.parse(text),
            });
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
      req.end(body);
    });
}
