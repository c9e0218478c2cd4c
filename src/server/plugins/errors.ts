import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorCode, HushError, httpStatusFor, isHushError } from '../../core/errors/index.js';

/** The error body every Hush endpoint returns: `{ error: { code, message, details? } }`. */
export type ErrorBody = ReturnType<HushError['toJSON']>;

interface ValidationIssue {
  readonly instancePath?: string;
  readonly keyword?: string;
  readonly message?: string;
  readonly params?: Record<string, unknown>;
}

/** Name the offending field of a schema validation failure, e.g. `body.threshold` or `body.colour`. */
function describeValidation(context: string | undefined, issue: ValidationIssue | undefined): string {
  const base = [context ?? 'request', ...(issue?.instancePath ?? '').split('/').filter(Boolean)].join('.');
  const extra = issue?.params?.['additionalProperty'];
  if (typeof extra === 'string') return `${base}.${extra}: unknown field; remove it (see /v1/openapi.json)`;
  const missing = issue?.params?.['missingProperty'];
  if (typeof missing === 'string') return `${base}.${missing}: required field is missing`;
  return `${base}: ${issue?.message ?? 'is not valid'}`;
}

/** Translate any thrown value into a coded HushError; unknown errors become HUSH_E_INTERNAL with no detail. */
export function toHushError(
  err: unknown,
  limits: { readonly bodyBytes: number },
  requestId: string,
): HushError {
  if (isHushError(err)) return err;
  const fe = err as Partial<FastifyError> & { validation?: ValidationIssue[] };
  if (Array.isArray(fe.validation)) {
    return new HushError('HUSH_E_USAGE', describeValidation(fe.validationContext, fe.validation[0]));
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new HushError(
        'HUSH_E_TOO_LARGE',
        `request body is over the ${limits.bodyBytes}-byte limit; send less, or raise limits.bodyBytes`,
        { limitBytes: limits.bodyBytes },
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new HushError(
        'HUSH_E_UNSUPPORTED_MEDIA',
        'request body must be JSON; send it with Content-Type: application/json',
      );
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new HushError(
        'HUSH_E_USAGE',
        'request body is not valid JSON; check quoting and trailing commas',
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new HushError(
        'HUSH_E_USAGE',
        'request body is empty but Content-Type is JSON; send {} or drop the header',
      );
  }
  // Other framework 4xx errors describe the request itself (bad Content-Length, ...), so their text is safe.
  if (typeof fe.code === 'string' && fe.code.startsWith('FST_') && (fe.statusCode ?? 500) < 500) {
    return new HushError('HUSH_E_USAGE', `malformed request: ${fe.message}`);
  }
  return new HushError(
    'HUSH_E_INTERNAL',
    `unexpected internal error; the server log has details under request id ${requestId}`,
  );
}

/** Send `err` as the standard error body with the catalogue status. */
export function sendHushError(reply: FastifyReply, err: HushError): FastifyReply {
  return reply.code(httpStatusFor(err.code as ErrorCode)).send(err.toJSON());
}

/** The one place errors become HTTP responses (see docs/server.md for the status table). */
export function installErrorHandling(app: FastifyInstance, limits: { readonly bodyBytes: number }): void {
  app.setErrorHandler((err: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const hush = toHushError(err, limits, request.id);
    if (hush.code === 'HUSH_E_INTERNAL') request.log.error({ err }, 'unhandled error');
    else if (httpStatusFor(hush.code) >= 500) request.log.warn({ code: hush.code }, 'request failed');
    return sendHushError(reply, hush);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    const err = new HushError(
      'HUSH_E_NOT_FOUND',
      `no endpoint ${request.method} ${path}; the API is described at /v1/openapi.json`,
    );
    return sendHushError(reply, err);
  });
}
