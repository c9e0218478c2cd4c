import { describe, expect, it } from 'vitest';
import { routeAuth } from '../route-config.js';
import { authExtension, buildOpenApiDocument, toOpenApiPath } from './openapi.js';

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
          auth: routeAuth.fixed('sys/things', 'update'),
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
    expect(op?.['x-hush-auth']).toEqual({ mode: 'fixed', capability: 'update', path: 'sys/things' });
  });

  it('names every auth mode of a route in x-hush-auth, and only routes needing a token have security', () => {
    const doc = buildOpenApiDocument(
      [
        { method: 'GET', url: '/v1/open', auth: routeAuth.public, schema: {} },
        { method: 'GET', url: '/v1/mine', auth: routeAuth.token, schema: {} },
        { method: 'GET', url: '/v1/named/:name', auth: routeAuth.derived('read', () => 'x'), schema: {} },
        { method: 'POST', url: '/v1/batch', auth: routeAuth.perItem('rotate', 'read'), schema: {} },
        { method: 'POST', url: '/v1/mixed', auth: routeAuth.fixed('sys/x', 'update', 'read'), schema: {} },
        {
          method: 'POST',
          url: '/v1/signed',
          auth: routeAuth.signed(
            'test-sig',
            { authenticate: async () => ({ id: 'x' }), denialOf: () => undefined },
            'read',
          ),
          schema: {},
        },
      ],
      '1.0.0',
    ) as { paths: Record<string, Record<string, Record<string, unknown>>> };
    const op = (path: string, method: string) => doc.paths[path]?.[method] ?? {};
    expect(op('/v1/open', 'get')['x-hush-auth']).toEqual({ mode: 'public' });
    expect(op('/v1/open', 'get')['security']).toBeUndefined();
    expect(op('/v1/mine', 'get')['x-hush-auth']).toEqual({ mode: 'token' });
    expect(op('/v1/mine', 'get')['security']).toEqual([{ hushToken: [] }]);
    expect(op('/v1/named/{name}', 'get')['x-hush-auth']).toEqual({ mode: 'derived', capability: 'read' });
    expect(op('/v1/batch', 'post')['x-hush-auth']).toEqual({ mode: 'per-item', perItem: ['rotate', 'read'] });
    expect(op('/v1/mixed', 'post')['x-hush-auth']).toEqual({
      mode: 'fixed',
      capability: 'update',
      path: 'sys/x',
      perItem: ['read'],
    });
    expect(op('/v1/signed', 'post')['x-hush-auth']).toEqual({
      mode: 'signed',
      scheme: 'test-sig',
      perItem: ['read'],
    });
    expect(op('/v1/signed', 'post')['security']).toBeUndefined();
    expect(authExtension(undefined)).toEqual({ mode: 'undeclared' });
  });
});
