// Helpers the HTTP benchmarks (server-bench.js, cluster-bench.js) share.
import { createServer } from 'node:net';

/** A port that was free a moment ago. */
export function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

/** One JSON API call with a token; throws on a non-2xx answer (a benchmark set up on errors measures nothing). */
export async function call(base, token, method, path, body) {
  const res = await fetch(base + path, {
    method,
    headers: { 'x-hush-token': token, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}
