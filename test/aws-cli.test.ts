import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, expect, it } from 'vitest';
import { type IssuedKey, issueKey, putPolicy } from './aws-support.js';
import { api, useHushServer } from './support/hush-server.js';
import { describeNeeding, toolMissing } from './support/require-tool.js';
import { runHush } from './support/run-hush.js';

// The Debian package's binary, not a pyenv shim or a pip install that may shadow it on PATH.
const AWS = '/usr/bin/aws';
const fx = useHushServer('aws-cli');
let key: IssuedKey;
const run = promisify(execFile);

/** Run the AWS CLI with the issued key against the server's endpoint; JSON output parsed. */
async function aws(args: string[], creds: Pick<IssuedKey, 'accessKeyId' | 'secretAccessKey'> = key) {
  const env = {
    PATH: '/usr/bin:/bin',
    HOME: fx.dir,
    AWS_ACCESS_KEY_ID: creds.accessKeyId,
    AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
    AWS_DEFAULT_REGION: 'us-east-2',
    AWS_CONFIG_FILE: join(fx.dir, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(fx.dir, 'no-aws-credentials'),
    AWS_MAX_ATTEMPTS: '1',
    AWS_PAGER: '',
  };
  try {
    const { stdout } = await run(
      AWS,
      ['--endpoint-url', `${fx.server.url}/v1/aws`, '--output', 'json', ...args],
      { env },
    );
    return {
      code: 0,
      json: stdout.trim() === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>),
      stderr: '',
    };
  } catch (err) {
    const e = err as { code: number; stderr: string };
    return { code: e.code, json: {}, stderr: e.stderr };
  }
}

describeNeeding(
  toolMissing(AWS, 'awscli'),
  'the AWS CLI (awscli) against a real server with --endpoint-url',
  () => {
    beforeAll(async () => {
      await putPolicy(fx, 'cli', [
        { path: 'team/**', capabilities: ['read', 'list', 'create', 'update', 'delete'] },
        { path: 'transit/keys/cli-key', capabilities: ['encrypt', 'decrypt'] },
      ]);
      expect(
        (await api(fx.server, fx.root, 'POST', '/v1/transit/keys/cli-key', { type: 'aes256-gcm96' })).status,
      ).toBe(201);
      // Issued the way a user issues it: `hush aws keys create` against the server.
      const env = { HUSH_ADDR: fx.server.url, HUSH_TOKEN: fx.root };
      const created = await runHush(['aws', 'keys', 'create', '--policy', 'cli', '--json'], { env });
      expect(created.code, created.stderr).toBe(0);
      key = JSON.parse(created.stdout) as IssuedKey;
      const listed = await runHush(['aws', 'keys', 'list'], { env });
      expect(listed.stdout).toContain(key.accessKeyId);
      expect(listed.stdout).not.toContain(key.secretAccessKey);
    });

    it('secretsmanager: create, get, put, describe, list, tag, delete and restore', async () => {
      const created = await aws([
        'secretsmanager',
        'create-secret',
        '--name',
        'team/prod/api-key',
        '--secret-string',
        'k-1',
      ]);
      expect(created.code, created.stderr).toBe(0);
      expect(created.json['ARN']).toMatch(
        /^arn:aws:secretsmanager:us-east-2:000000000000:secret:team\/prod\/api-key-/,
      );
      expect(
        (await aws(['secretsmanager', 'get-secret-value', '--secret-id', 'team/prod/api-key'])).json,
      ).toMatchObject({
        SecretString: 'k-1',
        VersionStages: ['AWSCURRENT'],
      });
      await aws([
        'secretsmanager',
        'put-secret-value',
        '--secret-id',
        'team/prod/api-key',
        '--secret-string',
        'k-2',
      ]);
      const previous = await aws([
        'secretsmanager',
        'get-secret-value',
        '--secret-id',
        'team/prod/api-key',
        '--version-stage',
        'AWSPREVIOUS',
      ]);
      expect(previous.json['SecretString']).toBe('k-1');
      await aws([
        'secretsmanager',
        'tag-resource',
        '--secret-id',
        'team/prod/api-key',
        '--tags',
        'Key=env,Value=prod',
      ]);
      expect(
        (await aws(['secretsmanager', 'describe-secret', '--secret-id', 'team/prod/api-key'])).json['Tags'],
      ).toEqual([{ Key: 'env', Value: 'prod' }]);
      const listed = await aws(['secretsmanager', 'list-secrets', '--filters', 'Key=tag-key,Values=env']);
      expect((listed.json['SecretList'] as { Name: string }[]).map((s) => s.Name)).toEqual([
        'team/prod/api-key',
      ]);
      const deleted = await aws([
        'secretsmanager',
        'delete-secret',
        '--secret-id',
        'team/prod/api-key',
        '--recovery-window-in-days',
        '7',
      ]);
      expect(deleted.json['DeletionDate']).toBeDefined();
      const refused = await aws(['secretsmanager', 'get-secret-value', '--secret-id', 'team/prod/api-key']);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('InvalidRequestException');
      await aws(['secretsmanager', 'restore-secret', '--secret-id', 'team/prod/api-key']);
      expect(
        (await aws(['secretsmanager', 'get-secret-value', '--secret-id', 'team/prod/api-key'])).json[
          'SecretString'
        ],
      ).toBe('k-2');
    });

    it('kms: encrypt and decrypt a file without naming the key on decrypt', async () => {
      const plain = join(fx.dir, 'plain.txt');
      await writeFile(plain, 'launch codes', { mode: 0o600 });
      const enc = await aws([
        'kms',
        'encrypt',
        '--key-id',
        'alias/cli-key',
        '--plaintext',
        `fileb://${plain}`,
      ]);
      expect(enc.code, enc.stderr).toBe(0);
      const blob = join(fx.dir, 'blob.bin');
      await writeFile(blob, Buffer.from(enc.json['CiphertextBlob'] as string, 'base64'), { mode: 0o600 });
      const dec = await aws(['kms', 'decrypt', '--ciphertext-blob', `fileb://${blob}`]);
      expect(dec.code, dec.stderr).toBe(0);
      expect(Buffer.from(dec.json['Plaintext'] as string, 'base64').toString()).toBe('launch codes');
    });

    it('refuses a wrong secret key and an unknown key id in AWS words', async () => {
      const bad = await aws(['secretsmanager', 'list-secrets'], { ...key, secretAccessKey: 'wrong' });
      expect(bad.stderr).toContain('InvalidSignatureException');
      const unknown = await aws(['secretsmanager', 'list-secrets'], {
        accessKeyId: 'HKIAAAAAAAAAAAAAAAAA',
        secretAccessKey: 'x',
      });
      expect(unknown.stderr).toContain('UnrecognizedClientException');
    });

    it('a key revoked with `hush aws keys revoke` is refused', async () => {
      const spare = await issueKey(fx, ['cli']);
      expect((await aws(['secretsmanager', 'list-secrets'], spare)).code).toBe(0);
      const env = { HUSH_ADDR: fx.server.url, HUSH_TOKEN: fx.root };
      const revoked = await runHush(['aws', 'keys', 'revoke', spare.accessKeyId], { env });
      expect(revoked.code, revoked.stderr).toBe(0);
      const refused = await aws(['secretsmanager', 'list-secrets'], spare);
      expect(refused.stderr).toContain('UnrecognizedClientException');
    });
  },
);
