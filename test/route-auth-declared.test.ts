import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteAuth } from '../src/server/route-config.js';
import { makeApiFixture } from './api-fixture.js';

// Every route of the fully composed server (openServerDeps + buildApp, as `hush server` runs them) declares how it is
// authorised in its `config.auth` (src/server/route-config.ts), so the one guard applies it: a route added without a
// declaration fails here, and the declaration is what /v1/openapi.json publishes as `x-hush-auth`.

let fixture: Awaited<ReturnType<typeof makeApiFixture>>;
const seen: { method: string; url: string; auth: RouteAuth | undefined }[] = [];

beforeAll(async () => {
  fixture = await makeApiFixture();
  // The route groups register when the app gets ready, so this hook sees each of them as it is added.
  fixture.app.addHook('onRoute', (options: RouteOptions) => {
    const methods = Array.isArray(options.method) ? options.method : [options.method];
    for (const method of methods) seen.push({ method, url: options.url, auth: options.config?.auth });
  });
  await fixture.app.ready();
});
afterAll(async () => {
  await fixture?.cleanup();
});

const MODES = ['public', 'token', 'fixed', 'derived', 'per-item', 'signed'];

describe('every route declares its auth mode', () => {
  it('each route registered on the composed server has a config.auth of a known mode', () => {
    expect(seen.length).toBeGreaterThan(80);
    const undeclared = seen
      .filter((r) => !MODES.includes(r.auth?.mode ?? ''))
      .map((r) => `${r.method} ${r.url}`);
    expect(undeclared).toEqual([]);
  });

  it('the Vault-compatible routes (left out of OpenAPI) declare the same checks as the native routes', () => {
    const vault = (method: string, url: string) =>
      seen.find((r) => r.method === method && r.url === `/vault${url}`)?.auth;
    expect(vault('GET', '/v1/secret/data/*')).toMatchObject({ mode: 'derived', capability: 'read' });
    expect(vault('POST', '/v1/secret/data/*')).toMatchObject({
      mode: 'per-item',
      capabilities: ['update', 'create', 'read'],
    });
    expect(vault('POST', '/v1/transit/encrypt/:name')).toMatchObject({
      mode: 'derived',
      capability: 'encrypt',
    });
    expect(vault('POST', '/v1/auth/approle/login')).toEqual({ mode: 'public' });
  });

  it('the AWS endpoint authenticates by SigV4 and checks its operations with the one checker', () => {
    const aws = seen.filter((r) => r.url === '/v1/aws' || r.url === '/v1/aws/');
    expect(aws.map((r) => r.method)).toEqual(['POST', 'POST']);
    for (const r of aws) {
      expect(r.auth).toMatchObject({ mode: 'signed', scheme: 'aws-sigv4' });
      expect(r.auth?.mode === 'signed' ? r.auth.capabilities : []).toEqual(
        expect.arrayContaining(['read', 'create', 'update', 'delete', 'destroy', 'encrypt', 'decrypt']),
      );
    }
  });

  it('the OpenAPI document names each operation’s declared auth, and a capability where one is checked', async () => {
    const res = await fixture.app.inject({ url: '/v1/openapi.json' });
    const doc = res.json() as { paths: Record<string, Record<string, Record<string, unknown>>> };
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]): Record<string, unknown> & { op: string } => ({
        ...op,
        op: `${method.toUpperCase()} ${path}`,
      })),
    );
    const auth = (op: string) => ops.find((o) => o.op === op)?.['x-hush-auth'];
    expect(ops.filter((o) => !MODES.includes((o['x-hush-auth'] as { mode?: string })?.mode ?? ''))).toEqual(
      [],
    );
    expect(auth('GET /v1/openapi.json')).toEqual({ mode: 'public' });
    expect(auth('GET /v1/secrets/{path}')).toEqual({ mode: 'derived', capability: 'read' });
    expect(auth('POST /v1/sys/seal')).toEqual({ mode: 'fixed', capability: 'sudo', path: 'sys/seal' });
    expect(auth('POST /v1/rotation/on-deploy')).toEqual({ mode: 'per-item', perItem: ['rotate'] });
    expect(auth('GET /v1/auth/token/lookup-self')).toEqual({ mode: 'token' });
    expect(auth('POST /v1/sys/canaries')).toEqual({
      mode: 'fixed',
      capability: 'sudo',
      path: 'sys/canaries',
    });
    expect(auth('POST /v1/sys/remediate')).toEqual({
      mode: 'fixed',
      capability: 'sudo',
      path: 'sys/remediate',
      // It reaches only the secrets the caller may read and the leases it may revoke.
      perItem: ['read', 'update'],
    });
    expect(auth('DELETE /v1/aws/keys/{id}')).toEqual({ mode: 'derived', capability: 'delete' });
    expect(auth('POST /v1/approvals/{id}/grant')).toEqual({ mode: 'per-item', perItem: ['approve'] });
    expect(auth('POST /v1/gates/{name}/pass')).toEqual({ mode: 'derived', capability: 'read' });
    expect(auth('POST /v1/pki/issue/{name}')).toEqual({ mode: 'derived', capability: 'update' });
    expect(auth('GET /v1/pki/crl')).toEqual({ mode: 'public' });
    expect(auth('POST /v1/trust/{store}/certs')).toEqual({ mode: 'derived', capability: 'update' });
    // Only the routes that need a Hush token advertise the token security scheme (a signed route carries its own).
    for (const o of ops) {
      const mode = (o['x-hush-auth'] as { mode: string }).mode;
      expect([o.op, o['security'] !== undefined]).toEqual([o.op, mode !== 'public' && mode !== 'signed']);
    }
  });
});
