import { ProvisionedThroughputExceededException, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDynamo, type TestDynamo } from '../../../test/support/dynalite.js';
import { expectHushErrorAsync } from '../../../test/support/expect-hush-error.js';
import { HushError } from '../../core/errors/hush-error.js';
import { toDynamoError } from './dynamo-errors.js';
import { openDynamoBackend } from './index.js';

const ctx = { target: 'table hush in eu-west-1', maxAttempts: 3, requestTimeoutMs: 5000 };
const meta = { $metadata: {} };

describe('DynamoDB error mapping', () => {
  it('turns SDK exceptions into one-line HUSH_E_STORAGE errors with the fix, never the SDK text', () => {
    const arn = 'arn:aws:iam::123456789012:user/alice';
    const cases: [Error, string][] = [
      [new ProvisionedThroughputExceededException({ message: 'x', ...meta }), 'throttled'],
      [
        Object.assign(new Error(`User: ${arn} is not authorized`), { name: 'AccessDeniedException' }),
        'IAM permissions',
      ],
      [
        new ResourceNotFoundException({ message: 'Requested resource not found', ...meta }),
        'createTable: true',
      ],
      [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), 'unreachable'],
    ];
    for (const [err, fix] of cases) {
      const mapped = toDynamoError(err, ctx, 'read k');
      expect(mapped).toBeInstanceOf(HushError);
      expect(mapped).toMatchObject({ code: 'HUSH_E_STORAGE' });
      expect(mapped.message).toContain(fix);
      expect(mapped.message).toContain('cannot read k: ');
      expect(mapped.message).not.toContain(arn);
      expect(mapped.message).not.toContain('\n');
    }
    const coded = new HushError('HUSH_E_CAS_CONFLICT', 'x');
    expect(toDynamoError(coded, ctx, 'a')).toBe(coded);
  });
});

describe('DynamoDB without credentials', () => {
  let server: TestDynamo;
  const saved = { ...process.env };
  beforeAll(async () => {
    server = await startTestDynamo();
    for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
    process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/hush-test/credentials';
    process.env.AWS_CONFIG_FILE = '/nonexistent/hush-test/config';
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
  });
  afterAll(async () => {
    process.env = saved;
    await server.stop();
  });

  it('says that no credentials were found and where the SDK looks', async () => {
    const err = await expectHushErrorAsync(openDynamoBackend(server.freshConfig()), 'HUSH_E_STORAGE');
    expect(err.message).toContain('found no AWS credentials');
    expect(err.message).toContain('AWS_PROFILE');
  });
});
