import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditRecords, type IssuedKey, issueKey, putPolicy, sdkOptions } from './aws-support.js';
import { api, useHushServer } from './support/hush-server.js';

const fx = useHushServer('aws-sigv4');
let key: IssuedKey;

/** The error an SDK call failed with: its AWS name, HTTP status and message. */
async function failure(p: Promise<unknown>) {
  try {
    await p;
  } catch (err) {
    const e = err as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
  }
  return { name: 'no error', status: 200, message: '' };
}

const read = new GetSecretValueCommand({ SecretId: 'app/prod/token' });

beforeAll(async () => {
  await putPolicy(fx, 'app-read', [{ path: 'app/**', capabilities: ['read'] }]);
  expect(
    (await api(fx.server, fx.root, 'PUT', '/v1/secrets/app/prod/token', { value: 'tok-1' })).status,
  ).toBe(200);
  key = await issueKey(fx, ['app-read']);
});

describe('SigV4 refusals, as AWS refuses them, through the real SDK', () => {
  it('a correctly signed request passes', async () => {
    const sm = new SecretsManagerClient(sdkOptions(fx, key));
    expect((await sm.send(read)).SecretString).toBe('tok-1');
  });

  it('a wrong secret access key: InvalidSignatureException, audited as a denial naming the key', async () => {
    const sm = new SecretsManagerClient(
      sdkOptions(fx, { ...key, secretAccessKey: `${key.secretAccessKey.slice(0, -2)}xx` }),
    );
    expect(await failure(sm.send(read))).toMatchObject({ name: 'InvalidSignatureException', status: 400 });
    const denial = (await auditRecords(fx))
      .filter((r) => r['errorCode'] === 'InvalidSignatureException')
      .at(-1);
    expect(denial).toMatchObject({ outcome: 'denied', operation: 'secrets.read' });
    expect(JSON.stringify(denial)).toContain(key.accessKeyId);
    expect(JSON.stringify(await auditRecords(fx))).not.toContain(key.secretAccessKey);
  });

  it('a body changed after signing: InvalidSignatureException', async () => {
    const sm = new SecretsManagerClient(sdkOptions(fx, key));
    sm.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { body: string };
        request.body = request.body.replace('app/prod/token', 'app/prod/other');
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low', name: 'tamper' },
    );
    expect(await failure(sm.send(read))).toMatchObject({ name: 'InvalidSignatureException' });
  });

  it('a signing time 20 minutes old: InvalidSignatureException "Signature expired"', async () => {
    const sm = new SecretsManagerClient({ ...sdkOptions(fx, key), systemClockOffset: -20 * 60_000 });
    const refused = await failure(sm.send(read));
    expect(refused).toMatchObject({ name: 'InvalidSignatureException', status: 400 });
    expect(refused.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than/);
  });

  it('an access key Hush never issued: UnrecognizedClientException', async () => {
    const sm = new SecretsManagerClient(
      sdkOptions(fx, { accessKeyId: 'HKIAAAAAAAAAAAAAAAAA', secretAccessKey: 'x' }),
    );
    expect(await failure(sm.send(read))).toMatchObject({
      name: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    });
  });

  it('a revoked key, or a key whose token was revoked natively: UnrecognizedClientException', async () => {
    const doomed = await issueKey(fx, ['app-read']);
    const sm = new SecretsManagerClient(sdkOptions(fx, doomed));
    expect((await sm.send(read)).SecretString).toBe('tok-1');
    const listed = await api(fx.server, fx.root, 'GET', '/v1/aws/keys');
    expect(listed.text).toContain(doomed.accessKeyId);
    expect(listed.text).not.toContain(doomed.secretAccessKey);
    expect((await api(fx.server, fx.root, 'DELETE', `/v1/aws/keys/${doomed.accessKeyId}`)).status).toBe(200);
    expect(await failure(sm.send(read))).toMatchObject({ name: 'UnrecognizedClientException' });

    const other = await issueKey(fx, ['app-read']);
    const revoked = await api(fx.server, fx.root, 'POST', '/v1/auth/token/revoke-accessor', {
      accessor: other.tokenAccessor,
    });
    expect(revoked.status).toBe(200);
    const sm2 = new SecretsManagerClient(sdkOptions(fx, other));
    expect(await failure(sm2.send(read))).toMatchObject({ name: 'UnrecognizedClientException' });
  });

  it('unsigned requests and unknown targets, as AWS answers them', async () => {
    const post = (target: string, headers: Record<string, string> = {}) =>
      fetch(`${fx.server.url}/v1/aws`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target, ...headers },
        body: '{}',
      });
    const unsigned = await post('secretsmanager.ListSecrets');
    expect(unsigned.status).toBe(400);
    expect(await unsigned.json()).toMatchObject({ __type: 'MissingAuthenticationTokenException' });
    const unknown = await post('secretsmanager.RotateTheMoon');
    expect(await unknown.json()).toMatchObject({ __type: 'UnknownOperationException' });
    expect(unknown.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    for (const inherited of ['secretsmanager.constructor', 'secretsmanager.__proto__', 'toString.call']) {
      const res = await post(inherited);
      expect([res.status, await res.json()]).toEqual([
        400,
        { __type: 'UnknownOperationException', message: '' },
      ]);
    }
    const other = await post('DynamoDB_20120810.ListTables');
    expect(await other.json()).toMatchObject({ __type: 'UnknownOperationException' });
  });
});
