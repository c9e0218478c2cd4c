import type { FastifyInstance, RouteOptions } from 'fastify';
import { errorReply, jsonSchemaOf } from '../../api/contract.js';
import { needsToken, type RouteAuth, routeAuth } from '../route-config.js';

type JsonSchema = Record<string, unknown>;

interface CollectedRoute {
  readonly method: string;
  readonly url: string;
  readonly schema: JsonSchema;
  /** The route's declared authorisation (`config.auth`); undefined: not declared, served as public. */
  readonly auth: RouteAuth | undefined;
}

/**
 * `x-hush-auth` of an operation: the route's declared authorisation as data (the mode; the capability and, when
 * fixed, the policy path; the capabilities a per-item route checks on its items), so clients and reviewers can read
 * what each operation needs without reading the code.
 */
export function authExtension(auth: RouteAuth | undefined): JsonSchema {
  switch (auth?.mode) {
    case undefined:
      return { mode: 'undeclared' }; // served as public; test/route-auth-declared.test.ts keeps every route declared
    case 'public':
      return { mode: 'public' };
    case 'token':
      return { mode: 'token' };
    case 'fixed':
      return {
        mode: 'fixed',
        capability: auth.capability,
        path: auth.path,
        ...(auth.perItem ? { perItem: [...auth.perItem] } : {}),
      };
    case 'derived':
      return { mode: 'derived', capability: auth.capability };
    case 'per-item':
      return { mode: 'per-item', perItem: [...auth.capabilities] };
    case 'signed':
      return { mode: 'signed', scheme: auth.scheme, perItem: [...auth.capabilities] };
  }
}

/** The one error shape of the API (api/contract.ts), referenced by every operation. */
const ERROR_SCHEMA: JsonSchema = jsonSchemaOf(errorReply, 'output');

/** Fastify path -> OpenAPI path: `:name` -> `{name}`, the `*` wildcard -> `{path}`. */
export function toOpenApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)(\([^)]*\))?/g, '{$1}').replace(/\*$/, '{path}');
}

/** OpenAPI parameter objects from a params/querystring JSON schema. */
function parameters(schema: unknown, where: 'path' | 'query'): JsonSchema[] {
  const s = schema as { properties?: Record<string, JsonSchema>; required?: string[] } | undefined;
  return Object.entries(s?.properties ?? {}).map(([name, propSchema]) => ({
    name: where === 'path' && name === '*' ? 'path' : name,
    in: where,
    required: where === 'path' || (s?.required ?? []).includes(name),
    schema: propSchema,
  }));
}

function operation(route: CollectedRoute): JsonSchema {
  const { schema } = route;
  const responses: Record<string, JsonSchema> = {};
  for (const [status, body] of Object.entries((schema['response'] ?? {}) as Record<string, JsonSchema>)) {
    // Fastify's status ranges (`2xx`) are OpenAPI's `2XX`.
    responses[status.toUpperCase()] = {
      description: String(body['description'] ?? `status ${status}`),
      content: { 'application/json': { schema: body } },
    };
  }
  if (Object.keys(responses).length === 0) responses['200'] = { description: 'success' };
  responses['default'] = {
    description: 'error (see docs/server.md for codes and statuses)',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  };
  const pathParams = parameters(schema['params'], 'path');
  if (pathParams.length === 0 && route.url.endsWith('*')) {
    pathParams.push({ name: 'path', in: 'path', required: true, schema: { type: 'string' } });
  }
  return {
    ...(schema['summary'] ? { summary: schema['summary'] } : {}),
    ...(schema['description'] ? { description: schema['description'] } : {}),
    ...(schema['tags'] ? { tags: schema['tags'] } : {}),
    parameters: [...pathParams, ...parameters(schema['querystring'], 'query')],
    ...(schema['body']
      ? { requestBody: { required: true, content: { 'application/json': { schema: schema['body'] } } } }
      : {}),
    responses,
    ...(needsToken(route.auth) ? { security: [{ hushToken: [] }] } : {}),
    'x-hush-auth': authExtension(route.auth),
  };
}

/** Build the OpenAPI 3.1 document from the collected routes. */
export function buildOpenApiDocument(routes: readonly CollectedRoute[], version: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const path = toOpenApiPath(route.url);
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Hush API', version },
    paths,
    components: {
      schemas: { Error: ERROR_SCHEMA },
      securitySchemes: { hushToken: { type: 'apiKey', in: 'header', name: 'X-Hush-Token' } },
    },
  };
}

/**
 * Collect every route's JSON schema as it is registered (onRoute), and serve the document at /v1/openapi.json.
 * Must be installed before any route so nothing is missed. HEAD twins and `schema.hide` routes are left out.
 */
export function installOpenApi(app: FastifyInstance, version: string): void {
  const routes: CollectedRoute[] = [];
  app.addHook('onRoute', (options: RouteOptions) => {
    const schema = (options.schema ?? {}) as JsonSchema;
    if (schema['hide'] === true) return;
    const methods = Array.isArray(options.method) ? options.method : [options.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      routes.push({ method, url: options.url, schema, auth: options.config?.auth });
    }
  });
  let cached: JsonSchema | undefined;
  const config = { auth: routeAuth.public };
  app.get(
    '/v1/openapi.json',
    { schema: { summary: 'This OpenAPI document', tags: ['sys'] }, config },
    async () => {
      cached ??= buildOpenApiDocument(routes, version);
      return cached;
    },
  );
}
