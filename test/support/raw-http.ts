import type http from 'node:http';
import { loopbackClient } from './loopback.js';

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
export async function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawReply> {
  const { origin, pathname, search } = new URL(url);
  const reply = await loopbackClient(origin)({
    url: pathname + search,
    ...(options.method ? { method: options.method } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.body !== undefined ? { payload: options.body } : {}),
  });
  let json: unknown;
  try {
    json = reply.json();
  } catch {
    json = undefined;
  }
  return { status: reply.statusCode, headers: reply.headers, text: reply.body, json };
}

/** The `error.code` of a Hush error reply, if any. */
export function errorCode(reply: { json: unknown }): string | undefined {
  return (reply.json as { error?: { code?: string } } | undefined)?.error?.code;
}
