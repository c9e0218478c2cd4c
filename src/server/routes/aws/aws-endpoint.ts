import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { JsonSchema } from '../../../api/contract.js';
import {
  AwsAuthError,
  type AwsCall,
  type AwsCompat,
  AwsError,
  type AwsPrincipal,
  toAwsError,
} from '../../../compat/aws/index.js';
import { parseStrictJson } from '../../../core/json/strict-json.js';
import type { RequestedCapability } from '../../../core/policy/index.js';
import type { Caller } from '../../../ports/auth-port.js';
import { toHushError } from '../../plugins/errors.js';
import { checkerOf, routeAuth, type SignedDenial } from '../../route-config.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The AWS endpoint's raw body (SigV4 signs the bytes) and the call's resolved operation. */
    awsBody?: Buffer;
    awsTarget?: { readonly service: string; readonly operation: string };
    awsPrincipal?: AwsPrincipal;
  }
}

/** What the AWS endpoint is built from. */
export interface AwsEndpointDeps {
  readonly aws: AwsCompat;
}

/** The endpoint path: `--endpoint-url http://host:8200/v1/aws` (under /v1/, so the audit plugin records every call). */
export const AWS_ENDPOINT = '/v1/aws';
const CONTENT_TYPE = /^application\/x-amz-json-1\.[01]$/;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The service's own name for a missing resource (KMS: NotFoundException). */
const NOT_FOUND_TYPE: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  TrentService: { HUSH_E_NOT_FOUND: 'NotFoundException' },
};

/** `X-Amz-Target: <Service>.<Operation>` as a supported operation, or AWS's UnknownOperationException. */
function targetOf(deps: AwsEndpointDeps, request: FastifyRequest) {
  const header = request.headers['x-amz-target'];
  const [service = '', operation = ''] = typeof header === 'string' ? header.split('.', 2) : [];
  // Own properties only: `constructor` or `__proto__` must not resolve to something inherited.
  const operations = Object.hasOwn(deps.aws.services, service)
    ? deps.aws.services[service]?.operations
    : undefined;
  const found = operations && Object.hasOwn(operations, operation) ? operations[operation] : undefined;
  if (!found) throw new AwsError('UnknownOperationException', '');
  return { service, operation, spec: found };
}

/**
 * The capabilities the translated operations check (each through the guard's checker, as the native routes'):
 * Secrets Manager's on secret paths, KMS's on transit key paths.
 */
const AWS_CAPABILITIES = [
  'read',
  'create',
  'update',
  'delete',
  'destroy',
  'encrypt',
  'decrypt',
  'sign',
  'verify',
] as const satisfies readonly RequestedCapability[];

/** A SigV4 refusal as the audit records it: AWS's error type, and the access key id when one was presented. */
function sigV4Denial(err: unknown): SignedDenial | undefined {
  if (!(err instanceof AwsAuthError)) return undefined;
  return { code: err.type, ...(err.accessKeyId ? { reason: `access key ${err.accessKeyId}` } : {}) };
}

/** Verify SigV4 over the exact bytes received; the caller is the access key's bound token. */
async function authenticate(deps: AwsEndpointDeps, request: FastifyRequest): Promise<Caller> {
  const target = targetOf(deps, request);
  request.awsTarget = { service: target.service, operation: target.operation };
  request.auditOperation = target.spec.audit;
  request.auditDetails = { awsTarget: `${target.service}.${target.operation}` };
  const url = request.raw.url ?? '';
  const q = url.indexOf('?');
  const principal = await deps.aws.authenticate(
    {
      method: request.method,
      rawPath: q === -1 ? url : url.slice(0, q),
      rawQuery: q === -1 ? '' : url.slice(q + 1),
      headers: request.headers,
      body: request.awsBody ?? Buffer.alloc(0),
    },
    deps.aws.services[target.service]?.signingName ?? '',
  );
  request.awsPrincipal = principal;
  return principal.caller;
}

/** The AwsCall of an authenticated request: its capability checks are the guard's checker, as a native route's. */
function callOf(request: FastifyRequest, principal: AwsPrincipal): AwsCall {
  const checker = checkerOf(request);
  return {
    caller: principal.caller,
    region: principal.region,
    authorize: (path: string, capability: RequestedCapability) => checker.require(path, capability),
    note(note) {
      if (note.path !== undefined) request.auditPath = note.path;
      if (note.details) request.auditDetails = { ...request.auditDetails, ...note.details };
    },
  };
}

/** The AWS endpoint's reply: the peer's own JSON, any shape (see the route's options). */
const AWS_REPLY: JsonSchema = { description: 'the AWS operation reply (Secrets Manager or KMS JSON)' };

function sendAwsError(request: FastifyRequest, reply: FastifyReply, err: unknown, bodyBytes: number) {
  const service = request.awsTarget?.service ?? '';
  const aws =
    err instanceof AwsError
      ? err
      : toAwsError(toHushError(err, { bodyBytes }, request.id), NOT_FOUND_TYPE[service]);
  if (aws.status >= 500 && !(err instanceof AwsError)) request.log.error({ err }, 'aws endpoint error');
  // AWS answers a refusal (SigV4 or policy) with 400: a denial noted on the request is still recorded `denied`.
  if (request.auditDenial) request.auditDeniedAs = aws.status;
  return reply
    .code(aws.status)
    .header('content-type', 'application/x-amz-json-1.1')
    .header('x-amzn-errortype', aws.type)
    .send(JSON.stringify(aws.toJSON()));
}

/**
 * Register the AWS JSON endpoint: `POST /v1/aws` with `X-Amz-Target` naming the operation (Secrets Manager and
 * KMS), AWS error shapes. It declares `routeAuth.signed`: the auth guard runs the SigV4 check once the body is read
 * and before the audit plugin's `requested` record (so it names the caller), and the operations' policy checks go
 * through the guard's checker.
 */
export function registerAwsEndpoint(app: FastifyInstance, deps: AwsEndpointDeps): void {
  const bodyBytes = app.initialConfig.bodyLimit ?? 1_048_576;
  // The body is kept as bytes for the signature, then parsed as strict JSON (what the handler reads). No other
  // parser may run here: one that parsed a body the signature never saw (application/json) would let a request
  // signed over an empty body run with any body an attacker puts under an unsigned Content-Type.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => {
    done(new AwsError('SerializationException', 'Content-Type must be application/x-amz-json-1.1.'));
  });
  app.addContentTypeParser(CONTENT_TYPE, { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    request.awsBody = bytes;
    if (bytes.length === 0) return done(null, {});
    try {
      done(null, parseStrictJson(UTF8.decode(bytes)));
    } catch {
      done(new AwsError('SerializationException', 'The request body is not valid JSON.'));
    }
  });
  app.setErrorHandler((err, request, reply) => sendAwsError(request, reply, err, bodyBytes));
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-amzn-requestid', request.id);
  });
  const options = {
    // The reply is the AWS operation's own JSON (Secrets Manager or KMS, dozens of shapes the AWS SDKs define), sent
    // already serialised as application/x-amz-json-1.1: a loose schema, present so the route table is whole.
    schema: { hide: true, body: { type: 'object' }, response: { 200: AWS_REPLY } },
    config: {
      requireUnsealed: true,
      operation: 'aws',
      auth: routeAuth.signed(
        'aws-sigv4',
        { authenticate: (request) => authenticate(deps, request), denialOf: sigV4Denial },
        ...AWS_CAPABILITIES,
      ),
    },
  } as const;
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const target = targetOf(deps, request);
    const principal = request.awsPrincipal;
    if (!principal) throw new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token');
    const out = await target.spec.run(callOf(request, principal), request.body as Record<string, unknown>);
    return reply.header('content-type', 'application/x-amz-json-1.1').send(JSON.stringify(out));
  };
  app.post(AWS_ENDPOINT, options, handler);
  app.post(`${AWS_ENDPOINT}/`, options, handler);
}
