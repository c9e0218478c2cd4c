import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../src/core/audit/audit-record.js';
import { type RealServer, startRealServer } from './audit-cli-support.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

let dir: string | undefined;
let srv: RealServer | undefined;
afterEach(async () => {
  await srv?.shutdown();
  if (dir) await removeTempDir(dir);
  srv = undefined;
  dir = undefined;
});

async function call(method: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(srv!.url + path, {
    method,
    headers: {
      ...(token ? { 'x-hush-token': token } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('hush server composition (openServerDeps)', () => {
  it('records who asked (identity) and with which token (accessor), and stamps secrets with the identity', async () => {
    dir = await makeTempDir('compose-who');
    srv = await startRealServer(dir);
    const root = srv.rootToken!;
    const self = await call('GET', '/v1/auth/token/lookup-self', root);
    const accessor =
      (self.json['auth'] as { accessor: string } | undefined)?.accessor ?? self.json['accessor'];
    expect(accessor).toMatch(/^acc_/);
    expect((await call('PUT', '/v1/secrets/app/prod/k', root, { value: 'v' })).status).toBe(200);
    expect((await call('GET', '/v1/secrets/app/prod/k', root)).json).toMatchObject({ createdBy: 'root' });
    const records = readFileSync(join(dir, 'audit.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as AuditRecord);
    const write = records.find((r) => r.operation === 'secrets.write');
    expect(write).toMatchObject({ identity: 'root', tokenAccessor: accessor, authMethod: 'token' });
  });

  it('rotates a key-file root key over the API; the new key unseals after seal and after a restart', async () => {
    dir = await makeTempDir('compose-rotate');
    srv = await startRealServer(dir);
    const root = srv.rootToken!;
    const keyFile = join(dir, 'root.key');
    const before = readFileSync(keyFile, 'utf8');
    expect((await call('PUT', '/v1/secrets/app/prod/k', root, { value: 'kept' })).status).toBe(200);
    for (let i = 0; i < 2; i++) {
      const rotated = await call('POST', '/v1/sys/rotate-root', root, {});
      expect([rotated.status, rotated.json['sealKind']]).toEqual([200, 'key-file']);
    }
    expect(readFileSync(keyFile, 'utf8')).not.toBe(before);
    expect(() => readFileSync(`${keyFile}.next`)).toThrow(/ENOENT/);
    expect((await call('POST', '/v1/sys/seal', root)).status).toBe(200);
    // An operator's seal is not lifted by an anonymous unseal (the key-file seal needs no material): only an unlock
    // with a token that has admin on sys/seal lifts it.
    const anonymous = await call('POST', '/v1/sys/unseal', undefined, {});
    expect([anonymous.status, (anonymous.json['error'] as { code: string }).code]).toEqual([
      403,
      'HUSH_E_LOCKED_DOWN',
    ]);
    expect((await call('GET', '/v1/sys/seal-status')).json).toMatchObject({ sealed: true });
    expect((await call('POST', '/v1/sys/incident/unlock', root)).json).toMatchObject({ sealed: false });
    expect((await call('GET', '/v1/secrets/app/prod/k', root)).json).toMatchObject({ value: 'kept' });
    await srv.shutdown();
    srv = await startRealServer(dir);
    expect(srv.rootToken).toBeUndefined(); // not initialised again
    expect((await call('GET', '/v1/sys/seal-status')).json).toMatchObject({
      initialized: true,
      sealed: false,
    });
    expect((await call('GET', '/v1/secrets/app/prod/k', root)).json).toMatchObject({ value: 'kept' });
  });
});
