import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HushServer, startHushServer } from './support/hush-server.js';
import { assertCompiledCli } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

let dir: string;
let server: HushServer;

beforeAll(async () => {
  assertCompiledCli();
  dir = await makeTempDir('audit-router');
  server = await startHushServer({ dataDir: dir });
}, 30_000);

afterAll(async () => {
  await server?.stop();
  if (dir) await removeTempDir(dir);
});

/** A GET with the path sent exactly as given (no client-side normalisation of the encoding). */
function rawGet(path: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('URLs the router refuses itself go through Hush error handling', () => {
  it('bad percent-encoding and over-long names: coded error, request id, no-store, nosniff, audited, no echo', async () => {
    const long = `n${'q'.repeat(150)}`;
    const cases = [
      { path: '/v1/secrets/app/prod/a%zzmarker', echo: 'zzmarker' },
      { path: `/v1/sys/policies/${long}`, echo: long.slice(0, 40) },
    ];
    const ids: string[] = [];
    for (const c of cases) {
      const res = await rawGet(c.path);
      expect(res.status, res.body).toBe(400);
      expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'HUSH_E_USAGE' } });
      expect(res.body).not.toContain(c.echo);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      const id = String(res.headers['x-request-id'] ?? '');
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      ids.push(id);
    }
    const records = (await readFile(join(dir, 'audit.jsonl'), 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const id of ids) {
      const mine = records.filter((r) => r['requestId'] === id);
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({ outcome: 'error', errorCode: 'HUSH_E_USAGE', operation: 'unmatched' });
      expect(mine[0]!['details']).toMatchObject({ status: 400, method: 'GET' });
    }
    expect(records.map((r) => JSON.stringify(r)).join('\n')).not.toContain('zzmarker');
  });
});
