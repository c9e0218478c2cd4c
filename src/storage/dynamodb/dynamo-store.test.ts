import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DYNALITE_CREDENTIALS, startTestDynamo, type TestDynamo } from '../../../test/support/dynalite.js';
import { makeTempDir, removeTempDir } from '../../../test/support/temp-dir.js';
import { KeyFileSeal } from '../../seal/key-file/key-file-seal.js';
import { createStore } from '../../store/index.js';
import { openDynamoBackend } from './index.js';

// This file opens DynamoDB only through openDynamoBackend, so it can also check that the SDK's Node-version
// notice is kept off the terminal (forks pool: the file has its own process).
const warnings: string[] = [];
process.on('warning', (w) => warnings.push(`${w.name}: ${w.message}`));

let server: TestDynamo;
let dir: string;
beforeAll(async () => {
  server = await startTestDynamo();
  dir = await makeTempDir('dynamo-store');
});
afterAll(async () => {
  await server.stop();
  await removeTempDir(dir);
});

describe('the secrets store over DynamoDB', () => {
  it('initialises with a key-file seal, then puts, gets, lists, versions and deletes; a second node agrees', async () => {
    const config = server.freshConfig();
    const keyPath = join(dir, 'root.key');
    const backend = await openDynamoBackend(config, { credentials: DYNALITE_CREDENTIALS });
    const store = createStore({ backend, seal: new KeyFileSeal({ path: keyPath }) });
    expect(await store.status()).toMatchObject({ initialized: false, backendKind: 'dynamodb' });
    await store.init();
    const actor = 'user:alice';
    await store.put('payments/prod/db-password', 'one', { actor });
    await store.put('payments/prod/db-password', 'two', { actor });
    await store.put('payments/prod/api/key', { id: 'k', secret: 's' }, { actor });
    await store.put('shop/dev/token', 'x'.repeat(200_000), { actor });
    expect(await store.get('payments/prod/db-password')).toMatchObject({ value: 'two', version: 2 });
    expect((await store.get('payments/prod/db-password', { version: 1 })).value).toBe('one');
    expect((await store.list('payments/prod', { recursive: true })).entries.map((e) => e.path)).toEqual([
      'payments/prod/api/key',
      'payments/prod/db-password',
    ]);
    expect((await store.list('')).entries.map((e) => e.name)).toEqual(['payments/', 'shop/']);
    expect((await store.versions('payments/prod/db-password')).current).toBe(2);
    await store.delete('payments/prod/db-password', { actor });
    await expect(store.get('payments/prod/db-password')).rejects.toMatchObject({ code: 'HUSH_E_DELETED' });
    await store.move('payments/prod/api/key', 'payments/prod/api/key2', { actor });

    // Another node: its own client and store over the same table, unsealed from the same key file.
    const other = await openDynamoBackend(
      { ...config, createTable: false },
      { credentials: DYNALITE_CREDENTIALS },
    );
    const store2 = createStore({ backend: other, seal: new KeyFileSeal({ path: keyPath }) });
    await store2.unseal();
    expect((await store2.get('payments/prod/api/key2')).value).toEqual({ id: 'k', secret: 's' });
    expect((await store2.get('shop/dev/token')).value).toHaveLength(200_000);
    await expect(store2.get('payments/prod/api/key')).rejects.toMatchObject({ code: 'HUSH_E_NOT_FOUND' });
    await store.close();
    await store2.close();
    expect(warnings.filter((w) => w.includes('NodeVersionSupportWarning'))).toEqual([]);
  });
});
