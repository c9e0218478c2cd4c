/**
 * The wire contract's machinery: each operation is declared once as a {@link RouteContract} (zod 4 schemas of its
 * params, query, body and reply), and everything else is derived from it: the Fastify route schema (validation of
 * the request, fast serialisation of the reply, which also keeps undeclared fields from leaking), the handler's
 * request and reply types, the OpenAPI document (built from the route schemas) and the SDK's types (`z.infer`).
 */
import type { FastifySchema } from 'fastify';
import { z } from 'zod';

/** A JSON Schema object, as Fastify and OpenAPI take it. */
export type JsonSchema = Record<string, unknown>;

/** One operation of the HTTP API. Its authorisation stays in the route's config (server/route-config.ts). */
export interface RouteContract {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Fastify's path pattern (`/v1/auth/token/create`, `/v1/sys/policies/:name`, `/v1/secrets/*`). */
  readonly path: string;
  readonly summary: string;
  readonly tags?: readonly string[];
  readonly params?: z.ZodType;
  readonly querystring?: z.ZodType;
  readonly body?: z.ZodType;
  /** The success reply. A `z.object` is closed: fields it does not name are not sent. */
  readonly reply: z.ZodType;
  /** The success status (default 200). */
  readonly status?: number;
}

/** Declare an operation (identity, keeping the literal types so handlers and the SDK infer from it). */
export function defineRoute<const C extends RouteContract>(contract: C): C {
  return contract;
}

type Output<T> = T extends z.ZodType ? z.output<T> : unknown;

/** The Fastify route generic of a contract: handlers get typed `request.params/query/body` and a typed reply. */
export interface RouteTypes<C extends RouteContract> {
  Params: Output<C['params']>;
  Querystring: Output<C['querystring']>;
  Body: Output<C['body']>;
  Reply: z.input<C['reply']>;
}

/** The request body a client sends to an operation (what the SDK's option types are). */
export type BodyOf<C extends RouteContract> = C['body'] extends z.ZodType ? z.input<C['body']> : never;
/** The reply a client receives from an operation. */
export type ReplyOf<C extends RouteContract> = z.output<C['reply']>;

/**
 * A zod schema as a draft-07 JSON Schema (Fastify's Ajv and fast-json-stringify), without `$schema`. Requests are
 * converted as `input` (what a client may send), replies as `output` (what the server sends).
 */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { target: 'draft-7', io }) as JsonSchema;
  return rest;
}

/** The Fastify route schema of a contract: request validation, the reply's serialiser, OpenAPI fields. */
export function routeSchema(contract: RouteContract): FastifySchema {
  return {
    summary: contract.summary,
    ...(contract.tags ? { tags: contract.tags } : {}),
    ...(contract.params ? { params: jsonSchemaOf(contract.params, 'input') } : {}),
    ...(contract.querystring ? { querystring: jsonSchemaOf(contract.querystring, 'input') } : {}),
    ...(contract.body ? { body: jsonSchemaOf(contract.body, 'input') } : {}),
    response: { [contract.status ?? 200]: jsonSchemaOf(contract.reply, 'output') },
  };
}

/**
 * Every error reply of the API (Hush's own routes; the Vault- and AWS-compatible routes answer in their peers' error
 * shapes): the catalogue code, the message, and on a catalogued error its stable id and hint.
 */
export const errorReply = z.object({
  error: z.object({
    code: z.string().regex(/^HUSH_E_[A-Z_]+$/),
    message: z.string(),
    // The catalogue message id (stable across wordings) and its hint, on every catalogued error.
    id: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]*$/)
      .optional(),
    hint: z.string().optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

/**
 * A reply whose fields are passed through as the service returns them, naming the ones clients rely on. Used where
 * a precise closed shape is impractical (pass-through peer JSON, open-ended reports): the named fields are typed,
 * any others are still sent (fast-json-stringify would drop them from a closed object).
 */
export function openReply<S extends z.ZodRawShape>(shape: S) {
  return z.looseObject(shape);
}

/** A reply with no body (204). */
export const emptyReply = z.null();

/**
 * Fastify `response` of a route that answers with something other than JSON: the console's HTML and built assets
 * (sent as bytes with their own content type, so no serialiser runs) or a redirect to an identity provider.
 */
export const notJsonResponse = {
  '2xx': { description: 'not JSON: an HTML page or a built console asset, sent as bytes' },
  '3xx': { description: 'a redirect (Location header), no body' },
} as const;

/**
 * The reply schema of a route whose reply is not yet declared in the contract: any JSON, serialised as is (nothing
 * dropped). It keeps every route's reply present in the route table and in /v1/openapi.json while the groups move
 * to declared replies; test/route-reply-schema.test.ts lists the routes still on it, and that list only shrinks.
 */
export const UNDECLARED_REPLY: JsonSchema = {
  description: 'reply not yet declared in the wire contract (src/api/): any JSON',
};

/** Fastify `response` of a route whose reply is not yet declared: any 2xx, any JSON (see {@link UNDECLARED_REPLY}). */
export const undeclaredResponse = { '2xx': UNDECLARED_REPLY } as const;
