import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { api, useHushServer } from './support/hush-server.js';

const fx = useHushServer('audit-attr');

async function records(): Promise<Record<string, unknown>[]> {
  const text = await readFile(join(fx.dir, 'audit.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('audit attribution over real HTTP', () => {
  it('a denial noted for one request is never written into another request that reuses its request id', async () => {
    const created = await api(fx.server, fx.root, 'POST', '/v1/auth/token/create', {
      policies: [],
      displayName: 'mallory',
    });
    expect(created.status).toBe(200);
    const mallory = (created.json as { token: string }).token;

    const id = 'chosen-by-client-1';
    // Mallory is authenticated, then refused by the guard on the route's derived path (`sys/policies/<name>`): 403 with her identity.
    const denied = await fetch(`${fx.server.url}/v1/sys/policies/root`, {
      headers: { 'x-hush-token': mallory, 'x-request-id': id },
    });
    expect(denied.status).toBe(403);
    // A later anonymous request reusing the same id: refused by the guard, 401, nobody's identity.
    const anonymous = await fetch(`${fx.server.url}/v1/sys/policies/root`, {
      headers: { 'x-request-id': id },
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('x-request-id')).toBe(id);

    const mine = (await records()).filter((r) => r['requestId'] === id);
    expect(mine).toHaveLength(2);
    expect(mine[0]).toMatchObject({
      identity: 'token:mallory',
      outcome: 'denied',
      errorCode: 'HUSH_E_FORBIDDEN',
    });
    expect(mine[1]).toMatchObject({
      identity: null,
      tokenAccessor: null,
      outcome: 'denied',
      errorCode: 'HUSH_E_UNAUTHENTICATED',
    });
  });
});
