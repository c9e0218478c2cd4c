import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareBackends } from '../src/operator/index.js';
import { KeyFileSeal } from '../src/seal/key-file/key-file-seal.js';
import type { StorageBackend } from '../src/storage/backend.js';
import { parseBackendUrl } from '../src/storage/backend-location.js';
import { openBackend } from '../src/storage/open-backend.js';
import { createStore } from '../src/store/index.js';
import { buildFixtureStore, expectFixtureReadable, type VersionValues } from './operator-fixture.js';
import { DYNALITE_CREDENTIALS, startTestDynamo, type TestDynamo } from './support/dynalite.js';
import { startTestPostgres, type TestPostgres } from './support/postgres.js';
import { assertCompiledCli, runHush } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

/**
 * The storage registry end to end, through the real CLI: `hush operator migrate` and `snapshot` reach DynamoDB
 * (dynalite on loopback, the real DynamoDB API), and local mode (`--backend`) opens a store on any backend.
 */

let dynamo: TestDynamo;
let pg: TestPostgres;
let root: string;
let dataDir: string;
let fixture: { secrets: VersionValues; tokens: readonly string[] };

/** What the AWS SDK's default chain reads in the child process (dynalite accepts any signature). */
const AWS_ENV = {
  AWS_ACCESS_KEY_ID: DYNALITE_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: DYNALITE_CREDENTIALS.secretAccessKey,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};
const cli = (args: string[]) => runHush(args, { env: AWS_ENV, timeoutMs: 120_000 });
const keyFile = () => join(dataDir, 'root.key');
const dynamoUrl = (table: string, create = true) =>
  `dynamodb://${table}?region=us-east-1&endpoint=${dynamo.endpoint}${create ? '&create-table=true' : ''}`;
const open = (url: string) =>
  openBackend(parseBackendUrl(url), { mustExist: true, dynamo: { credentials: DYNALITE_CREDENTIALS } });

/** Every version of every fixture secret with its metadata, as the store reads it back. */
async function readEverything(backend: StorageBackend): Promise<unknown[]> {
  const store = createStore({ backend, seal: new KeyFileSeal({ path: keyFile() }) });
  await store.unseal();
  const seen: unknown[] = [];
  for (const [path, values] of fixture.secrets) {
    for (let v = 1; v <= values.length; v++) seen.push(await store.get(path, { version: v }));
  }
  await store.seal({ persist: false });
  return seen;
}

beforeAll(async () => {
  assertCompiledCli();
  [dynamo, pg] = await Promise.all([startTestDynamo(), startTestPostgres()]);
  root = await makeTempDir('op-dynamo');
  dataDir = join(root, 'store');
  fixture = await buildFixtureStore(dataDir);
}, 120_000);
afterAll(async () => {
  await dynamo?.stop();
  await pg?.dispose();
  await removeTempDir(root);
});

describe('operator commands on DynamoDB (real CLI, dynalite, embedded PostgreSQL)', () => {
  it('migrates sqlite -> dynamodb -> postgres keeping every row, secret, version and metadata', async () => {
    const table = `hush-mig-${Date.now()}`;
    const toDynamo = await cli([
      'operator',
      'migrate',
      '--from',
      `sqlite:${dataDir}`,
      '--to',
      dynamoUrl(table),
      '--json',
    ]);
    expect(toDynamo.stderr).not.toMatch(/Error:|at .*\.js/);
    expect(toDynamo.code).toBe(0);
    expect(JSON.parse(toDynamo.stdout)).toMatchObject({ verified: true, to: dynamoUrl(table, false) });

    const { url, drop } = await pg.freshSchema();
    const toPostgres = await cli([
      'operator',
      'migrate',
      '--from',
      dynamoUrl(table, false),
      '--to',
      url,
      '--json',
    ]);
    expect(toPostgres.code).toBe(0);
    expect(toPostgres.stdout + toPostgres.stderr).not.toContain(pg.password);
    const summary = JSON.parse(toPostgres.stdout);
    expect(summary.verified).toBe(true);

    const source = await open(`sqlite:${dataDir}`);
    const viaDynamo = await open(dynamoUrl(table, false));
    const target = await open(url);
    try {
      // Byte for byte: every row (ciphertext, metadata, tokens) went through DynamoDB unchanged.
      const comparison = await compareBackends(source, target);
      expect(comparison.equal).toBe(true);
      expect(comparison.source.rows).toBe(summary.sourceRows);
      expect((await compareBackends(source, viaDynamo)).equal).toBe(true);
      // And as the store reads them: every version of every secret with its metadata, and every token.
      expect(await readEverything(target)).toEqual(await readEverything(source));
      await expectFixtureReadable(target, keyFile(), fixture);
    } finally {
      await Promise.all([source.close(), viaDynamo.close(), target.close()]);
      await drop();
    }
  }, 180_000);

  it('saves a snapshot from DynamoDB and restores it into a new SQLite store', async () => {
    const table = `hush-snap-${Date.now()}`;
    const seed = await cli(['operator', 'migrate', '--from', `sqlite:${dataDir}`, '--to', dynamoUrl(table)]);
    expect(seed.code).toBe(0);
    const snap = join(root, 'from-dynamo.snap');
    const save = await cli([
      'operator',
      'snapshot',
      'save',
      '--from',
      dynamoUrl(table, false),
      '--file',
      snap,
      '--key-file',
      keyFile(),
      '--json',
    ]);
    expect(save.stderr).toBe('');
    expect(save.code).toBe(0);
    const restoredDir = join(root, 'restored');
    const restore = await cli([
      'operator',
      'snapshot',
      'restore',
      '--file',
      snap,
      '--to',
      `sqlite:${restoredDir}`,
      '--key-file',
      keyFile(),
      '--json',
    ]);
    expect(restore.code).toBe(0);
    expect(JSON.parse(restore.stdout).target.sha256).toBe(JSON.parse(save.stdout).sha256);
    const restored = await open(`sqlite:${restoredDir}`);
    try {
      await expectFixtureReadable(restored, keyFile(), fixture);
    } finally {
      await restored.close();
    }
  }, 180_000);

  it('local mode opens a store on DynamoDB with --backend (no server)', async () => {
    const table = `hush-local-${Date.now()}`;
    expect(
      (await cli(['operator', 'migrate', '--from', `sqlite:${dataDir}`, '--to', dynamoUrl(table)])).code,
    ).toBe(0);
    const get = await cli([
      'get',
      'payments/prod/svc-3',
      '--backend',
      dynamoUrl(table, false),
      '--data-dir',
      join(root, 'local-mode'),
      '--key-file',
      keyFile(),
      '--reveal',
    ]);
    expect(get.stderr).toBe('');
    expect(get.stdout.trim()).toContain(fixture.secrets.get('payments/prod/svc-3')!.at(-1));
    // The environment form reaches the same store.
    const viaEnv = await runHush(['get', 'payments/prod/svc-3', '--key-file', keyFile(), '--reveal'], {
      env: { ...AWS_ENV, HUSH_BACKEND: dynamoUrl(table, false), HUSH_DATA_DIR: join(root, 'local-mode') },
    });
    expect(viaEnv.stdout.trim()).toContain(fixture.secrets.get('payments/prod/svc-3')!.at(-1));
    const missing = await cli(['get', 'x/y/z', '--backend', dynamoUrl(`hush-none-${Date.now()}`, false)]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/HUSH_E_/);
  }, 180_000);
});
