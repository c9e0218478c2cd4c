import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  SecretsManagerClient,
  TagResourceCommand,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  auditRecords,
  auditTrail,
  errorName,
  type IssuedKey,
  issueKey,
  putPolicy,
  sdkOptions,
} from './aws-support.js';
import { api, useHushServer } from './support/hush-server.js';

const fx = useHushServer('aws-sm');
let key: IssuedKey;
let sm: SecretsManagerClient;

beforeAll(async () => {
  await putPolicy(fx, 'payments-rw', [
    { path: 'payments/**', capabilities: ['read', 'list', 'create', 'update', 'delete', 'destroy'] },
  ]);
  key = await issueKey(fx, ['payments-rw']);
  sm = new SecretsManagerClient(sdkOptions(fx, key));
});

describe('Secrets Manager through @aws-sdk/client-secrets-manager against a real server', () => {
  it('creates, reads, puts, stages AWSPENDING and keeps AWSPREVIOUS, as the store labels them', async () => {
    const created = await sm.send(
      new CreateSecretCommand({
        Name: 'payments/prod/db-password',
        SecretString: 's3cret-1',
        Description: 'primary db',
        Tags: [{ Key: 'team', Value: 'payments' }],
      }),
    );
    expect(created.ARN).toMatch(
      /^arn:aws:secretsmanager:eu-west-1:000000000000:secret:payments\/prod\/db-password-[0-9a-f]{6}$/,
    );
    const first = await sm.send(new GetSecretValueCommand({ SecretId: 'payments/prod/db-password' }));
    expect(first).toMatchObject({
      SecretString: 's3cret-1',
      VersionStages: ['AWSCURRENT'],
      Name: 'payments/prod/db-password',
    });
    expect(first.VersionId).toBe(created.VersionId);
    expect(first.CreatedDate).toBeInstanceOf(Date);

    // By ARN too, and the same value natively.
    const byArn = await sm.send(new GetSecretValueCommand({ SecretId: created.ARN }));
    expect(byArn.SecretString).toBe('s3cret-1');
    const native = await api(fx.server, fx.root, 'GET', '/v1/secrets/payments/prod/db-password');
    expect((native.json as { value: string }).value).toBe('s3cret-1');

    const put = await sm.send(
      new PutSecretValueCommand({ SecretId: 'payments/prod/db-password', SecretString: 's3cret-2' }),
    );
    expect(put.VersionStages).toEqual(['AWSCURRENT']);
    const pending = await sm.send(
      new PutSecretValueCommand({
        SecretId: 'payments/prod/db-password',
        SecretString: 's3cret-3',
        VersionStages: ['AWSPENDING'],
      }),
    );
    expect(pending.VersionStages).toEqual(['AWSPENDING']);
    // AWSCURRENT still serves version 2 while 3 is pending.
    expect(
      (await sm.send(new GetSecretValueCommand({ SecretId: 'payments/prod/db-password' }))).SecretString,
    ).toBe('s3cret-2');
    const staged = await sm.send(
      new GetSecretValueCommand({ SecretId: 'payments/prod/db-password', VersionStage: 'AWSPENDING' }),
    );
    expect(staged).toMatchObject({
      SecretString: 's3cret-3',
      VersionId: pending.VersionId,
      VersionStages: ['AWSPENDING'],
    });
    const byVersion = await sm.send(
      new GetSecretValueCommand({ SecretId: 'payments/prod/db-password', VersionId: created.VersionId }),
    );
    expect(byVersion.SecretString).toBe('s3cret-1');

    const described = await sm.send(new DescribeSecretCommand({ SecretId: 'payments/prod/db-password' }));
    expect(described).toMatchObject({
      Name: 'payments/prod/db-password',
      Description: 'primary db',
      Tags: [{ Key: 'team', Value: 'payments' }],
    });
    expect(described.VersionIdsToStages).toEqual({
      [put.VersionId as string]: ['AWSCURRENT'],
      [pending.VersionId as string]: ['AWSPENDING'],
    });

    // A direct write promotes: the old current becomes AWSPREVIOUS.
    const updated = await sm.send(
      new UpdateSecretCommand({
        SecretId: 'payments/prod/db-password',
        SecretString: 's3cret-4',
        Description: 'rotated',
      }),
    );
    const after = await sm.send(new DescribeSecretCommand({ SecretId: 'payments/prod/db-password' }));
    expect(after.Description).toBe('rotated');
    expect(after.VersionIdsToStages).toEqual({
      [updated.VersionId as string]: ['AWSCURRENT'],
      [put.VersionId as string]: ['AWSPREVIOUS'],
    });
    const previous = await sm.send(
      new GetSecretValueCommand({ SecretId: 'payments/prod/db-password', VersionStage: 'AWSPREVIOUS' }),
    );
    expect(previous.SecretString).toBe('s3cret-2');
  });

  it('refuses what AWS refuses, in its error names', async () => {
    expect(
      await errorName(
        sm.send(new CreateSecretCommand({ Name: 'payments/prod/db-password', SecretString: 'x' })),
      ),
    ).toBe('ResourceExistsException');
    expect(
      await errorName(sm.send(new GetSecretValueCommand({ SecretId: 'payments/prod/nothing-here' }))),
    ).toBe('ResourceNotFoundException');
    expect(await errorName(sm.send(new GetSecretValueCommand({ SecretId: 'two/segments' })))).toBe(
      'ValidationException',
    );
    // Outside the key's policy: denied, and audited as a denial under the key's token.
    expect(
      await errorName(sm.send(new CreateSecretCommand({ Name: 'billing/prod/key', SecretString: 'x' }))),
    ).toBe('AccessDeniedException');
    const denied = (await auditRecords(fx)).filter(
      (r) => r['outcome'] === 'denied' && r['path'] === 'billing/prod/key',
    );
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ operation: 'secrets.write', tokenAccessor: key.tokenAccessor });
  });

  it('lists with filters and pagination, only what the key may read', async () => {
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      await sm.send(
        new CreateSecretCommand({
          Name: `payments/list/${name}`,
          SecretString: name,
          Tags: [{ Key: 'tier', Value: name < 'c' ? 'gold' : 'silver' }],
        }),
      );
    }
    await api(fx.server, fx.root, 'PUT', '/v1/secrets/hidden/prod/x', { value: 'not for the key' });
    const names: string[] = [];
    let NextToken: string | undefined;
    let pages = 0;
    do {
      const page = await sm.send(
        new ListSecretsCommand({
          MaxResults: 2,
          NextToken,
          Filters: [{ Key: 'name', Values: ['payments/list/'] }],
        }),
      );
      names.push(...(page.SecretList ?? []).map((s) => s.Name as string));
      NextToken = page.NextToken;
      pages += 1;
    } while (NextToken);
    expect(names).toEqual([
      'payments/list/a',
      'payments/list/b',
      'payments/list/c',
      'payments/list/d',
      'payments/list/e',
    ]);
    expect(pages).toBeGreaterThanOrEqual(3);
    const gold = await sm.send(new ListSecretsCommand({ Filters: [{ Key: 'tag-value', Values: ['gold'] }] }));
    expect(gold.SecretList?.map((s) => s.Name)).toEqual(['payments/list/a', 'payments/list/b']);
    const all = await sm.send(new ListSecretsCommand({}));
    expect(all.SecretList?.map((s) => s.Name)).not.toContain('hidden/prod/x');
    const notGold = await sm.send(
      new ListSecretsCommand({
        Filters: [
          { Key: 'name', Values: ['payments/list/'] },
          { Key: 'tag-value', Values: ['!gold'] },
        ],
      }),
    );
    expect(notGold.SecretList?.map((s) => s.Name)).toEqual([
      'payments/list/c',
      'payments/list/d',
      'payments/list/e',
    ]);
  });

  it('deletes with a recovery window, restores, and force-deletes for good', async () => {
    const id = 'payments/prod/to-delete';
    await sm.send(new CreateSecretCommand({ Name: id, SecretString: 'v1' }));
    await sm.send(new TagResourceCommand({ SecretId: id, Tags: [{ Key: 'owner', Value: 'amy' }] }));
    const deleted = await sm.send(new DeleteSecretCommand({ SecretId: id, RecoveryWindowInDays: 7 }));
    const days = ((deleted.DeletionDate as Date).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThan(7.1);
    expect(await errorName(sm.send(new GetSecretValueCommand({ SecretId: id })))).toBe(
      'InvalidRequestException',
    );
    expect((await sm.send(new DescribeSecretCommand({ SecretId: id }))).DeletedDate).toBeInstanceOf(Date);
    const listed = await sm.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: [id] }] }));
    expect(listed.SecretList).toEqual([]);
    const planned = await sm.send(
      new ListSecretsCommand({ IncludePlannedDeletion: true, Filters: [{ Key: 'name', Values: [id] }] }),
    );
    expect(planned.SecretList?.map((s) => s.Name)).toEqual([id]);
    // Natively the versions are soft-deleted, recoverable.
    expect((await api(fx.server, fx.root, 'GET', `/v1/secrets/${id}`)).status).toBe(404);

    await sm.send(new RestoreSecretCommand({ SecretId: id }));
    expect((await sm.send(new GetSecretValueCommand({ SecretId: id }))).SecretString).toBe('v1');
    const restored = await sm.send(new DescribeSecretCommand({ SecretId: id }));
    expect(restored.DeletedDate).toBeUndefined();
    expect(restored.Tags).toEqual([{ Key: 'owner', Value: 'amy' }]);

    await sm.send(new DeleteSecretCommand({ SecretId: id, ForceDeleteWithoutRecovery: true }));
    expect(await errorName(sm.send(new GetSecretValueCommand({ SecretId: id })))).toBe(
      'ResourceNotFoundException',
    );
    expect(await errorName(sm.send(new RestoreSecretCommand({ SecretId: id })))).toBe(
      'ResourceNotFoundException',
    );
    const versions = await api(fx.server, fx.root, 'GET', `/v1/metadata/${id}`);
    expect(JSON.stringify(versions.json)).toContain('destroyed');
  });

  it('records each call under the native operation, with the key token and the aws target', async () => {
    await sm.send(new GetSecretValueCommand({ SecretId: 'payments/prod/db-password' }));
    const reads = (await auditRecords(fx)).filter(
      (r) => r['operation'] === 'secrets.read' && r['path'] === 'payments/prod/db-password',
    );
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.at(-1)).toMatchObject({
      outcome: 'allowed',
      authMethod: 'aws-sigv4',
      tokenAccessor: key.tokenAccessor,
    });
    expect(JSON.stringify(reads.at(-1))).toContain('secretsmanager.GetSecretValue');
    // Writes get their durable `requested` record first, already naming the key's token (SigV4 runs before it).
    const requested = (await auditTrail(fx)).filter(
      (r) => r['outcome'] === 'requested' && r['operation'] === 'secrets.write',
    );
    expect(requested.length).toBeGreaterThan(0);
    expect(requested[0]).toMatchObject({ tokenAccessor: key.tokenAccessor, authMethod: 'aws-sigv4' });
  });
});
