import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorCode, HushError, httpStatusFor, hushError, isHushError } from '../../core/errors/index.js';
import type { ServerAudit } from '../server-deps.js';
import { REQUEST_ID_HEADER } from './request-id.js';

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
  const allowed = issue?.params?.['allowedValues'];
  if (Array.isArray(allowed)) return `${base}: must be one of ${allowed.map(String).join(', ')}`;
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
      return hushError(
        'REQUEST_BODY_OVER_BYTE_LIMIT',
        { bodyBytes: limits.bodyBytes },
        { limitBytes: limits.bodyBytes },
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return hushError('REQUEST_BODY_NOT_JSON');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return hushError('NOT_VALID_JSON', { what: 'request body' });
    // The router's own refusals: their framework messages quote the URL back, so say what was wrong instead.
    case 'FST_ERR_BAD_URL':
      return hushError('URL_PATH_NOT_VALID_PERCENT');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return hushError('URL_NAME_TOO_LONG', {}, { limitChars: 100 });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return hushError('REQUEST_BODY_EMPTY_BUT_CONTENT');
  }
  // Other framework 4xx errors describe the request itself (bad Content-Length, ...), so their text is safe.
  if (typeof fe.code === 'string' && fe.code.startsWith('FST_') && (fe.statusCode ?? 500) < 500) {
    return hushError('MALFORMED_REQUEST_MESSAGE', { message: fe.message });
  }
  return hushError('UNEXPECTED_INTERNAL_ERROR_SERVER_LOG', { requestId });
}

/** Send `err` as the standard error body with the catalogue status. */
export function sendHushError(reply: FastifyReply, err: HushError): FastifyReply {
  return reply.code(httpStatusFor(err.code as ErrorCode)).send(err.toJSON());
}

/**
 * Fastify's `frameworkErrors`: URLs its router refuses before any route or hook runs (bad percent-encoding, a
 * parameter over `maxParamLength`) go out as Hush errors. No hook runs for them, so this handler does what the hooks
 * would: the request id, no-store and nosniff headers, and one audit record (fail closed) before the reply.
 */
export function frameworkErrorHandler(
  limits: { readonly bodyBytes: number },
  audit: ServerAudit | undefined,
) {
  return async (err: unknown, request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    reply.header(REQUEST_ID_HEADER, request.id);
    reply.header('cache-control', 'no-store');
    reply.header('x-content-type-options', 'nosniff');
    let hush = toHushError(err, limits, request.id);
    try {
      await audit?.recordRefused?.({
        requestId: request.id,
        method: request.method,
        sourceAddress: request.ip ?? null,
        status: httpStatusFor(hush.code as ErrorCode),
        code: hush.code,
      });
    } catch {
      hush = hushError('AUDIT_FAILED_REQUEST_REFUSED');
    }
    sendHushError(reply, hush);
  };
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
    const err = hushError('NO_ENDPOINT_API_DESCRIBED_V1', { method: request.method, path });
    return sendHushError(reply, err);
  });
}
