import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DYNALITE_CREDENTIALS, startTestDynamo, type TestDynamo } from './support/dynalite.js';
import { api, startHushServer } from './support/hush-server.js';
import { assertCompiledCli } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

let dynamo: TestDynamo;
let dir: string;

beforeAll(async () => {
  assertCompiledCli();
  dynamo = await startTestDynamo();
  dir = await makeTempDir('server-dynamo');
});
afterAll(async () => {
  await dynamo?.stop();
  if (dir) await removeTempDir(dir);
});

describe('hush server on DynamoDB (dynalite on loopback)', () => {
  it('initialises, serves writes and reads, and keeps them across a restart; no AWS warning reaches the terminal', async () => {
    const table = dynamo.freshConfig();
    const config = join(dir, 'hush.yaml');
    await writeFile(
      config,
      `storage:\n  kind: dynamodb\n  table: ${table.table}\n  region: us-east-1\n  endpoint: ${dynamo.endpoint}\n  createTable: true\n`,
    );
    const env = {
      AWS_ACCESS_KEY_ID: DYNALITE_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: DYNALITE_CREDENTIALS.secretAccessKey,
    };
    let server = await startHushServer({ dataDir: dir, args: ['--config', config], env });
    const root = server.rootToken ?? '';
    expect((await api(server, root, 'PUT', '/v1/secrets/shop/prod/db', { value: 'pw-dynamo' })).status).toBe(
      200,
    );
    expect((await api(server, root, 'GET', '/v1/secrets/shop/prod/db')).json).toMatchObject({
      value: 'pw-dynamo',
    });
    await server.stop();
    server = await startHushServer({ dataDir: dir, args: ['--config', config], env });
    expect(server.rootToken).toBeUndefined();
    expect((await api(server, root, 'GET', '/v1/secrets/shop/prod/db')).json).toMatchObject({
      value: 'pw-dynamo',
    });
    const health = (await api(server, undefined, 'GET', '/v1/sys/health')).json as { storage?: string };
    expect(JSON.stringify(health)).not.toContain(DYNALITE_CREDENTIALS.secretAccessKey);
    await server.stop();
    expect(server.stderr()).not.toMatch(/NodeVersionSupportWarning/);
  });
});
