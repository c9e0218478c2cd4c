import type { FastifyInstance, RouteOptions } from 'fastify';

type JsonSchema = Record<string, unknown>;

interface CollectedRoute {
  readonly method: string;
  readonly url: string;
  readonly schema: JsonSchema;
  readonly auth: boolean;
}

const ERROR_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', pattern: '^HUSH_E_[A-Z_]+$' },
        message: { type: 'string' },
        // The catalogue message id (stable across wordings) and its hint, on every catalogued error.
        id: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$' },
        hint: { type: 'string' },
        details: { type: 'object' },
      },
    },
  },
};

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
    responses[status] = {
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
    ...(route.auth ? { security: [{ hushToken: [] }] } : {}),
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
      routes.push({ method, url: options.url, schema, auth: options.config?.auth !== undefined });
    }
  });
  let cached: JsonSchema | undefined;
  app.get('/v1/openapi.json', { schema: { summary: 'This OpenAPI document', tags: ['sys'] } }, async () => {
    cached ??= buildOpenApiDocument(routes, version);
    return cached;
  });
}
