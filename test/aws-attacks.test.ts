import { createHash, createHmac } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditRecords, type IssuedKey, issueKey, putPolicy } from './aws-support.js';
import { api, useHushServer } from './support/hush-server.js';

/**
 * The AWS endpoint as an attacker on the network sees it: requests signed by an independent SigV4 signer (written
 * here from the AWS specification, not the server's verifier), then replayed, retargeted or reshaped.
 */

const fx = useHushServer('aws-attacks');
let key: IssuedKey;

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (k: string | Buffer, data: string) => createHmac('sha256', k).update(data).digest();
const amzDateOf = (at: Date) =>
  at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

interface Signable {
  target: string;
  body: string;
  /** Header names to sign (lower-case); default every header sent. */
  signed?: string[];
  service?: string;
  at?: Date;
  extraHeaders?: Record<string, string>;
}

/** Sign a POST /v1/aws with `key` over the chosen headers; returns the headers to send. */
function signedHeaders(fxUrl: string, k: Pick<IssuedKey, 'accessKeyId' | 'secretAccessKey'>, s: Signable) {
  const at = s.at ?? new Date();
  const amzDate = amzDateOf(at);
  const date = amzDate.slice(0, 8);
  const service = s.service ?? (s.target.startsWith('TrentService') ? 'kms' : 'secretsmanager');
  const headers: Record<string, string> = {
    host: new URL(fxUrl).host,
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': s.target,
    'x-amz-date': amzDate,
    ...s.extraHeaders,
  };
  const names = (s.signed ?? Object.keys(headers)).slice().sort();
  const canonical = [
    'POST',
    '/v1/aws',
    '',
    names.map((n) => `${n}:${headers[n] ?? ''}\n`).join(''),
    names.join(';'),
    sha256(s.body),
  ].join('\n');
  const scope = `${date}/us-east-1/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  let signingKey = hmac(`AWS4${k.secretAccessKey}`, date);
  for (const part of ['us-east-1', service, 'aws4_request']) signingKey = hmac(signingKey, part);
  const signature = hmac(signingKey, toSign).toString('hex');
  return {
    ...headers,
    authorization: `AWS4-HMAC-SHA256 Credential=${k.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
  };
}

async function send(headers: Record<string, string>, body: string) {
  const { host: _host, ...rest } = headers;
  const res = await fetch(`${fx.server.url}/v1/aws`, { method: 'POST', headers: rest, body });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  await putPolicy(fx, 'app-all', [{ path: 'app/**', capabilities: ['read', 'update', 'delete', 'list'] }]);
  for (const name of ['a', 'b'])
    expect(
      (await api(fx.server, fx.root, 'PUT', `/v1/secrets/app/prod/${name}`, { value: `v-${name}` })).status,
    ).toBe(200);
  key = await issueKey(fx, ['app-all']);
});

describe('SigV4: what a signature must cover', () => {
  it('the signer honestly signing every header is accepted (the harness is right)', async () => {
    const body = JSON.stringify({ SecretId: 'app/prod/a' });
    const res = await send(
      signedHeaders(fx.server.url, key, { target: 'secretsmanager.GetSecretValue', body }),
      body,
    );
    expect(res).toMatchObject({ status: 200, json: { SecretString: 'v-a' } });
  });

  it('X-Amz-Target left out of SignedHeaders is refused: a captured read cannot be replayed as a delete', async () => {
    const body = JSON.stringify({ SecretId: 'app/prod/b' });
    const headers = signedHeaders(fx.server.url, key, {
      target: 'secretsmanager.GetSecretValue',
      body,
      signed: ['host', 'x-amz-date'],
    });
    const retargeted = await send({ ...headers, 'x-amz-target': 'secretsmanager.DeleteSecret' }, body);
    expect(retargeted).toMatchObject({ status: 400, json: { __type: 'InvalidSignatureException' } });
    const still = await api(fx.server, fx.root, 'GET', '/v1/secrets/app/prod/b');
    expect(still.status).toBe(200);
    const denial = (await auditRecords(fx)).at(-2);
    expect(denial).toMatchObject({ outcome: 'denied', errorCode: 'InvalidSignatureException' });
  });
});

describe('access keys: never more than their creator, never in the clear', () => {
  it('a non-root creator cannot issue a key with a policy it lacks; its key dies with its token', async () => {
    await putPolicy(fx, 'key-maker', [{ path: 'sys/aws/keys', capabilities: ['create'] }]);
    await putPolicy(fx, 'other-team', [{ path: 'other/**', capabilities: ['read'] }]);
    const made = await api(fx.server, fx.root, 'POST', '/v1/auth/token/create', {
      policies: ['key-maker', 'app-all'],
    });
    const maker = (made.json as { token: string }).token;
    const greedy = await api(fx.server, maker, 'POST', '/v1/aws/keys', { policies: ['other-team'] });
    expect(greedy.status).toBe(403);
    const own = await api(fx.server, maker, 'POST', '/v1/aws/keys', { policies: ['app-all'] });
    expect(own.status, own.text).toBe(200);
    const k = own.json as IssuedKey;
    const body = JSON.stringify({ SecretId: 'app/prod/a' });
    const target = 'secretsmanager.GetSecretValue';
    expect((await send(signedHeaders(fx.server.url, k, { target, body }), body)).status).toBe(200);
    expect((await api(fx.server, maker, 'POST', '/v1/auth/token/revoke-self')).status).toBe(200);
    expect(await send(signedHeaders(fx.server.url, k, { target, body }), body)).toMatchObject({
      json: { __type: 'UnrecognizedClientException' },
    });
    const trail = JSON.stringify(await auditRecords(fx));
    expect(trail).not.toContain(k.secretAccessKey);
    expect(fx.server.stdout() + fx.server.stderr()).not.toContain(k.secretAccessKey);
  });
});

describe('access key lifetime, as docs/compat-aws.md states it', () => {
  it('a key never outlives the token that created it', async () => {
    const made = await api(fx.server, fx.root, 'POST', '/v1/auth/token/create', {
      policies: ['key-maker', 'app-all'],
      ttl: '1h',
    });
    expect(made.status, made.text).toBe(200);
    const parent = made.json as { token: string; auth: { expiresAt: string } };
    const created = await api(fx.server, parent.token, 'POST', '/v1/aws/keys', { policies: ['app-all'] });
    expect(created.status, created.text).toBe(200);
    const expiresAt = (created.json as { expiresAt: string | null }).expiresAt;
    expect(expiresAt).not.toBeNull();
    expect(Date.parse(expiresAt as string)).toBeLessThanOrEqual(Date.parse(parent.auth.expiresAt));
  });
});

describe('a careless operator', () => {
  it('cannot issue an AWS key carrying the root policy, by default (root token, no policy named) or by name', async () => {
    for (const body of [{}, { policies: ['root'] }, { policies: ['app-all', 'root'] }]) {
      const res = await api(fx.server, fx.root, 'POST', '/v1/aws/keys', body);
      expect(res.status, res.text).toBe(400);
      expect(res.text).toContain('HUSH_E_INVALID_INPUT');
      expect(res.text).toContain('--policy');
    }
    const listed = await api(fx.server, fx.root, 'GET', '/v1/aws/keys');
    const keys = (listed.json as { keys: { policies: string[] }[] }).keys;
    expect(keys.some((k) => k.policies.includes('root'))).toBe(false);
  });
});

describe('KMS ciphertext blobs as an attacker shapes them', () => {
  it('a blob naming something that is no key name is InvalidCiphertextException, never echoed or audited as a path', async () => {
    await putPolicy(fx, 'kms-mine', [{ path: 'transit/keys/mine', capabilities: ['encrypt', 'decrypt'] }]);
    expect(
      (await api(fx.server, fx.root, 'POST', '/v1/transit/keys/mine', { type: 'aes256-gcm96' })).status,
    ).toBe(201);
    const k = await issueKey(fx, ['kms-mine']);
    const kms = (target: string, input: unknown) => {
      const body = JSON.stringify(input);
      return send(signedHeaders(fx.server.url, k, { target: `TrentService.${target}`, body }), body);
    };
    const enc = await kms('Encrypt', { KeyId: 'mine', Plaintext: Buffer.from('hi').toString('base64') });
    expect(enc.status).toBe(200);
    const blob = Buffer.from(enc.json['CiphertextBlob'] as string, 'base64');
    const transit = blob.subarray(3 + (blob[2] ?? 0));
    for (const name of ['mine/../theirs', '\u001b[31mred', 'MINE', 'x'.repeat(200)]) {
      const n = Buffer.from(name);
      const forged = Buffer.concat([Buffer.from([0x48, 0x01, n.length]), n, transit]).toString('base64');
      const res = await kms('Decrypt', { CiphertextBlob: forged });
      expect(res).toMatchObject({ status: 400, json: { __type: 'InvalidCiphertextException' } });
      expect(String(res.json['message'])).not.toContain(name);
      expect(JSON.stringify((await auditRecords(fx)).at(-1))).not.toContain(
        JSON.stringify(name).slice(1, -1),
      );
    }
  });
});

describe('audit of KMS denials', () => {
  it('a Decrypt or ReEncrypt denied on the key its blob names is audited with that key path', async () => {
    expect(
      (await api(fx.server, fx.root, 'POST', '/v1/transit/keys/theirs', { type: 'aes256-gcm96' })).status,
    ).toBe(201);
    const enc = await api(fx.server, fx.root, 'POST', '/v1/transit/encrypt/theirs', {
      plaintext: Buffer.from('payroll').toString('base64'),
    });
    expect(enc.status, enc.text).toBe(200);
    const ciphertext = (enc.json as { ciphertext: string }).ciphertext;
    const name = Buffer.from('theirs');
    const blob = Buffer.concat([Buffer.from([0x48, 0x01, name.length]), name, Buffer.from(ciphertext)]);
    const k = await issueKey(fx, ['kms-mine']);
    for (const [target, input] of [
      ['Decrypt', { CiphertextBlob: blob.toString('base64') }],
      ['ReEncrypt', { CiphertextBlob: blob.toString('base64'), DestinationKeyId: 'mine' }],
    ] as const) {
      const body = JSON.stringify(input);
      const res = await send(
        signedHeaders(fx.server.url, k, { target: `TrentService.${target}`, body }),
        body,
      );
      expect(res.json['__type']).toBe('AccessDeniedException');
      expect((await auditRecords(fx)).at(-1)).toMatchObject({
        outcome: 'denied',
        path: 'transit/keys/theirs',
        details: { awsTarget: `TrentService.${target}` },
      });
    }
  });
});

describe('the bytes signed are the bytes run', () => {
  it('a body sent under another Content-Type is still covered by the signature (never parsed unsigned)', async () => {
    const headers = signedHeaders(fx.server.url, key, {
      target: 'secretsmanager.DeleteSecret',
      body: '',
      signed: ['host', 'x-amz-date', 'x-amz-target'],
    });
    const body = JSON.stringify({ SecretId: 'app/prod/a' });
    for (const type of ['application/json', 'text/plain', 'application/octet-stream']) {
      const res = await send({ ...headers, 'content-type': type }, body);
      expect(res.status).toBe(400);
      expect(res.json['__type']).not.toBeUndefined();
      expect(res.json['Name']).toBeUndefined();
    }
    expect((await api(fx.server, fx.root, 'GET', '/v1/secrets/app/prod/a')).status).toBe(200);
  });
});

describe('what an unauthenticated caller can put in the audit trail', () => {
  it('an access key id that is no Hush key id is not copied into the denial record', async () => {
    const junk = `EVIL<img src=x>${'A'.repeat(4000)}`;
    const body = '{}';
    const headers = signedHeaders(
      fx.server.url,
      { accessKeyId: junk, secretAccessKey: 'x' },
      {
        target: 'secretsmanager.ListSecrets',
        body,
      },
    );
    const res = await send(headers, body);
    expect(res.json['__type']).toBe('UnrecognizedClientException');
    const kms = await send(
      signedHeaders(
        fx.server.url,
        { accessKeyId: junk, secretAccessKey: 'x' },
        {
          target: 'secretsmanager.ListSecrets',
          body,
          service: 'kms',
        },
      ),
      body,
    );
    expect(kms.json['__type']).toBe('InvalidSignatureException');
    const denials = (await auditRecords(fx)).slice(-2);
    expect(denials.map((d) => d['outcome'])).toEqual(['denied', 'denied']);
    expect(JSON.stringify(denials)).not.toContain('EVIL');
  });
});

describe('what never leaves: values in the audit trail or logs, names through forged NextTokens', () => {
  it('secret values and KMS plaintexts are absent from the audit trail and the server output', async () => {
    await putPolicy(fx, 'vault-all', [
      { path: 'leak/**', capabilities: ['create', 'read', 'update'] },
      { path: 'transit/keys/mine', capabilities: ['encrypt', 'decrypt'] },
    ]);
    const k = await issueKey(fx, ['vault-all']);
    const run = async (target: string, input: unknown) => {
      const body = JSON.stringify(input);
      const res = await send(signedHeaders(fx.server.url, k, { target, body }), body);
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      return res.json;
    };
    const value = 'v4lue-that-must-not-leak-9f1c';
    const plain = Buffer.from('plaintext-that-must-not-leak-77ab').toString('base64');
    await run('secretsmanager.CreateSecret', { Name: 'leak/prod/db', SecretString: value });
    await run('secretsmanager.PutSecretValue', { SecretId: 'leak/prod/db', SecretString: `${value}-2` });
    await run('secretsmanager.GetSecretValue', { SecretId: 'leak/prod/db' });
    const enc = await run('TrentService.Encrypt', { KeyId: 'mine', Plaintext: plain });
    await run('TrentService.Decrypt', { CiphertextBlob: enc['CiphertextBlob'] });
    const dk = await run('TrentService.GenerateDataKey', { KeyId: 'mine', KeySpec: 'AES_256' });
    const everything = JSON.stringify(await auditRecords(fx)) + fx.server.stdout() + fx.server.stderr();
    for (const secret of [value, plain, Buffer.from(plain, 'base64').toString(), dk['Plaintext'] as string])
      expect(everything).not.toContain(secret);
  });

  it('a forged NextToken (any name, base64url) lists only what the key may read', async () => {
    for (const name of ['other/prod/x', 'zzz/prod/y'])
      expect((await api(fx.server, fx.root, 'PUT', `/v1/secrets/${name}`, { value: 'no' })).status).toBe(200);
    for (const from of ['', 'a', 'other/prod', 'other/prod/w', 'app/prod/a', 'zzz']) {
      const body = JSON.stringify({ MaxResults: 1, NextToken: Buffer.from(from).toString('base64url') });
      const res = await send(
        signedHeaders(fx.server.url, key, { target: 'secretsmanager.ListSecrets', body }),
        body,
      );
      const names = (res.json['SecretList'] as { Name: string }[] | undefined)?.map((s) => s.Name) ?? [];
      expect(
        names.every((n) => n.startsWith('app/')),
        `${from}: ${names}`,
      ).toBe(true);
    }
  });
});
