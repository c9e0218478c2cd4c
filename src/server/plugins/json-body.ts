import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hushError } from '../../core/errors/index.js';
import { parseStrictJson } from '../../core/json/strict-json.js';
import { routeOf } from '../route-config.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Whether a Content-Type header declares UTF-8 or no charset. Every `charset` parameter counts: with
 * `charset=utf-8; charset=utf-16` a proxy reading the last one and Hush reading the first would disagree.
 */
function declaresUtf8OrNothing(contentType: string | undefined): boolean {
  const charsets = [...(contentType ?? '').matchAll(/;\s*charset\s*=\s*("?)([^";\s]*)\1/gi)];
  return charsets.every((m) => ['utf-8', 'utf8'].includes((m[2] ?? '').toLowerCase()));
}

/**
 * The strict JSON body parser of {@link installJsonBody}, for `addContentTypeParser` with `parseAs: 'buffer'`; the
 * Vault-compatible API takes it for `application/merge-patch+json` too (KV v2 patch).
 */
export function strictJsonBody(
  request: FastifyRequest,
  body: string | Buffer,
  done: (err: Error | null, value?: unknown) => void,
): void {
  if (!declaresUtf8OrNothing(request.headers['content-type'])) {
    done(hushError('REQUEST_BODY_NOT_UTF8_JSON'));
    return;
  }
  const bytes = body as Buffer;
  if (bytes.length === 0) {
    done(hushError('REQUEST_BODY_EMPTY_BUT_CONTENT'));
    return;
  }
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    done(hushError('REQUEST_BODY_NOT_VALID_UTF'));
    return;
  }
  try {
    done(null, parseStrictJson(text));
  } catch (err) {
    done(err as Error);
  }
}

/**
 * Request bodies are strict JSON: UTF-8 only (a declared `charset=utf-16` or invalid UTF-8 is refused, never
 * reinterpreted), no repeated keys, bounded nesting, no prototype keys (see parseStrictJson). A route that declares
 * no body schema takes no body: anything but nothing (or `{}`) is a coded 400, so `POST /v1/sys/seal` with `[]`
 * does not seal.
 */
export function installJsonBody(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, strictJsonBody);

  app.addHook('preValidation', (request: FastifyRequest, _reply, done) => {
    if (request.body === undefined || routeOf(request).schema?.body !== undefined) return done();
    if (isEmptyObject(request.body)) return done();
    const path = request.url.split('?')[0];
    done(hushError('TAKES_NO_REQUEST_BODY', { method: request.method, path }));
  });
}

function isEmptyObject(value: unknown): boolean {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0
  );
}
