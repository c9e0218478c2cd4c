import { describe, expect, it } from 'vitest';
import { expectHushError } from '../../../test/support/expect-hush-error.js';
import { dynamoStorageConfigSchema, parseDynamoConfig } from './dynamo-config.js';

describe('DynamoDB config', () => {
  it('applies defaults and names the target without anything but table, region and endpoint origin', () => {
    const c = parseDynamoConfig({
      kind: 'dynamodb',
      table: 'hush',
      region: 'eu-west-1',
      endpoint: 'http://user:pw@127.0.0.1:8000/x',
    });
    expect(c).toMatchObject({ table: 'hush', createTable: false, maxAttempts: 3, requestTimeoutMs: 5000 });
    expect(c.target).toBe('table hush in eu-west-1 at http://127.0.0.1:8000');
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('refuses unknown keys (credentials never live in config) and bad values, naming the fields', () => {
    const err = expectHushError(
      () =>
        parseDynamoConfig({ kind: 'dynamodb', table: 'h', region: 'EU', secretAccessKey: 'wJalrXUtnFEMI' }),
      'HUSH_E_CONFIG',
    );
    expect(err.message).toContain('table:');
    expect(err.message).toContain('region:');
    expect(err.message).toContain('secretAccessKey');
    expect(err.message).not.toContain('wJalrXUtnFEMI');
    expect(
      dynamoStorageConfigSchema.safeParse({ kind: 'sqlite', table: 'hush', region: 'eu-west-1' }).success,
    ).toBe(false);
  });
});
