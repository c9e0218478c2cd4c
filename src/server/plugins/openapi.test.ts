import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument, toOpenApiPath } from './openapi.js';

describe('openapi', () => {
  it('converts fastify paths to OpenAPI templates', () => {
    expect(toOpenApiPath('/v1/tokens/:accessor')).toBe('/v1/tokens/{accessor}');
    expect(toOpenApiPath('/v1/a/:id(^\\d+$)/b')).toBe('/v1/a/{id}/b');
    expect(toOpenApiPath('/v1/secrets/*')).toBe('/v1/secrets/{path}');
    expect(toOpenApiPath('/v1/sys/health')).toBe('/v1/sys/health');
  });

  it('maps params, query, body and responses', () => {
    const doc = buildOpenApiDocument(
      [
        {
          method: 'PUT',
          url: '/v1/things/:id',
          auth: true,
          schema: {
            summary: 'Put a thing',
            params: { type: 'object', properties: { id: { type: 'string' } } },
            querystring: {
              type: 'object',
              required: ['cas'],
              properties: { cas: { type: 'string' }, x: {} },
            },
            body: { type: 'object', additionalProperties: false, properties: { v: { type: 'string' } } },
            response: { 201: { description: 'created', type: 'object' } },
          },
        },
      ],
      '2.0.0',
    ) as { paths: Record<string, Record<string, Record<string, unknown>>> };
    const op = doc.paths['/v1/things/{id}']?.['put'];
    expect(op?.['summary']).toBe('Put a thing');
    expect(op?.['parameters']).toEqual([
      { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
      { name: 'cas', in: 'query', required: true, schema: { type: 'string' } },
      { name: 'x', in: 'query', required: false, schema: {} },
    ]);
    expect(Object.keys(op?.['responses'] as object)).toEqual(['201', 'default']);
    expect(op?.['security']).toEqual([{ hushToken: [] }]);
  });
});
