import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type HushServer, startHushServer } from './support/hush-server.js';
import { assertCompiledCli } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

let dir: string;
let server: HushServer;
let root: string;

beforeAll(async () => {
  assertCompiledCli();
  dir = await makeTempDir('audit-attr');
  server = await startHushServer({ dataDir: dir });
  root = server.rootToken ?? '';
}, 30_000);

afterAll(async () => {
  await server?.stop();
  if (dir) await removeTempDir(dir);
});

async function records(): Promise<Record<string, unknown>[]> {
  const text = await readFile(join(dir, 'audit.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('audit attribution over real HTTP', () => {
  it('a denial noted for one request is never written into another request that reuses its request id', async () => {
    const created = await api(server, root, 'POST', '/v1/auth/token/create', {
      policies: [],
      displayName: 'mallory',
    });
    expect(created.status).toBe(200);
    const mallory = (created.json as { token: string }).token;

    const id = 'chosen-by-client-1';
    // Mallory is authenticated, then refused inside the route (authorizeDynamic): 403 with her identity.
    const denied = await fetch(`${server.url}/v1/sys/policies/root`, {
      headers: { 'x-hush-token': mallory, 'x-request-id': id },
    });
    expect(denied.status).toBe(403);
    // A later anonymous request reusing the same id: refused by the guard, 401, nobody's identity.
    const anonymous = await fetch(`${server.url}/v1/sys/policies/root`, { headers: { 'x-request-id': id } });
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
