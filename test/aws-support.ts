import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { api, type SharedHushServer } from './support/hush-server.js';

/** An access key issued by the server under test, as the SDKs and the CLI take it. */
export interface IssuedKey {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly tokenAccessor: string;
}

/** Write policy `name` with `rules` as root. */
export async function putPolicy(
  fx: SharedHushServer,
  name: string,
  rules: { path: string; capabilities: string[] }[],
): Promise<void> {
  expect((await api(fx.server, fx.root, 'PUT', `/v1/sys/policies/${name}`, { name, rules })).status).toBe(
    200,
  );
}

/** Issue an access key with `policies` through the native API (as `hush aws keys create` does). */
export async function issueKey(fx: SharedHushServer, policies: string[]): Promise<IssuedKey> {
  const res = await api(fx.server, fx.root, 'POST', '/v1/aws/keys', { policies, description: 'test' });
  expect(res.status, res.text).toBe(200);
  return res.json as IssuedKey;
}

/** Client options for the AWS SDK against the server's endpoint with `key`. */
export function sdkOptions(fx: SharedHushServer, key: Pick<IssuedKey, 'accessKeyId' | 'secretAccessKey'>) {
  return {
    endpoint: `${fx.server.url}/v1/aws`,
    region: 'eu-west-1',
    credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
    maxAttempts: 1,
  };
}

/** Every record of the server's audit trail, `requested` ones included, oldest first. */
export async function auditTrail(fx: SharedHushServer): Promise<Record<string, unknown>[]> {
  const text = await readFile(join(fx.dir, 'audit.jsonl'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** The outcome records of the trail (`requested` ones left out), oldest first. */
export async function auditRecords(fx: SharedHushServer): Promise<Record<string, unknown>[]> {
  return (await auditTrail(fx)).filter((r) => r['outcome'] !== 'requested');
}

/** The AWS error name a rejected SDK call threw ('no error' when it resolved, so the assertion names the miss). */
export async function errorName(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return (err as { name: string }).name;
  }
  return 'no error';
}
