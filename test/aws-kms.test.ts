import { createPublicKey, createVerify } from 'node:crypto';
import {
  DecryptCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GetPublicKeyCommand,
  KMSClient,
  ReEncryptCommand,
  SignCommand,
  VerifyCommand,
} from '@aws-sdk/client-kms';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorName, type IssuedKey, issueKey, putPolicy, sdkOptions } from './aws-support.js';
import { api, useHushServer } from './support/hush-server.js';

const fx = useHushServer('aws-kms');
let key: IssuedKey;
let kms: KMSClient;

beforeAll(async () => {
  for (const [name, type] of [
    ['app', 'aes256-gcm96'],
    ['archive', 'chacha20-poly1305'],
    ['signer', 'rsa-2048'],
    ['ec', 'ecdsa-p256'],
    ['secret-only', 'aes256-gcm96'],
  ]) {
    expect((await api(fx.server, fx.root, 'POST', `/v1/transit/keys/${name}`, { type })).status).toBe(201);
  }
  await putPolicy(fx, 'kms-use', [
    { path: 'transit/keys/app', capabilities: ['encrypt', 'decrypt', 'read'] },
    { path: 'transit/keys/archive', capabilities: ['encrypt', 'decrypt'] },
    { path: 'transit/keys/signer', capabilities: ['sign', 'verify', 'read'] },
    { path: 'transit/keys/ec', capabilities: ['sign', 'verify', 'read'] },
    { path: 'transit/keys/secret-only', capabilities: ['encrypt'] },
  ]);
  key = await issueKey(fx, ['kms-use']);
  kms = new KMSClient(sdkOptions(fx, key));
});

describe('KMS through @aws-sdk/client-kms against a real server (transit keys)', () => {
  it('encrypts and decrypts without a KeyId (the blob names its key), bound to the encryption context', async () => {
    const plaintext = Buffer.from('card 4111 1111 1111 1111');
    const enc = await kms.send(
      new EncryptCommand({ KeyId: 'alias/app', Plaintext: plaintext, EncryptionContext: { order: '42' } }),
    );
    expect(enc.KeyId).toBe('arn:aws:kms:eu-west-1:000000000000:key/app');
    const blob = enc.CiphertextBlob as Uint8Array;
    expect(Buffer.from(blob).includes(plaintext)).toBe(false);
    const dec = await kms.send(
      new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { order: '42' } }),
    );
    expect(Buffer.from(dec.Plaintext as Uint8Array)).toEqual(plaintext);
    expect(dec.KeyId).toBe(enc.KeyId);
    // Another context, a tampered blob, a KeyId naming another key: refused as AWS refuses them.
    expect(
      await errorName(
        kms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { order: '43' } })),
      ),
    ).toBe('InvalidCiphertextException');
    const tampered = Buffer.from(blob);
    tampered[tampered.length - 3] = (tampered[tampered.length - 3] as number) ^ 1;
    expect(
      await errorName(
        kms.send(new DecryptCommand({ CiphertextBlob: tampered, EncryptionContext: { order: '42' } })),
      ),
    ).toBe('InvalidCiphertextException');
    expect(
      await errorName(
        kms.send(
          new DecryptCommand({ CiphertextBlob: blob, KeyId: 'archive', EncryptionContext: { order: '42' } }),
        ),
      ),
    ).toBe('IncorrectKeyException');
  });

  it('generates data keys and re-encrypts under another key without the plaintext leaving', async () => {
    const dk = await kms.send(new GenerateDataKeyCommand({ KeyId: 'app', KeySpec: 'AES_256' }));
    expect((dk.Plaintext as Uint8Array).length).toBe(32);
    const opened = await kms.send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob }));
    expect(Buffer.from(opened.Plaintext as Uint8Array)).toEqual(Buffer.from(dk.Plaintext as Uint8Array));
    const moved = await kms.send(
      new ReEncryptCommand({
        CiphertextBlob: dk.CiphertextBlob,
        DestinationKeyId: 'arn:aws:kms:eu-west-1:000000000000:key/archive',
      }),
    );
    expect(moved).toMatchObject({
      SourceKeyId: expect.stringMatching(/key\/app$/),
      KeyId: expect.stringMatching(/key\/archive$/),
    });
    const again = await kms.send(new DecryptCommand({ CiphertextBlob: moved.CiphertextBlob }));
    expect(Buffer.from(again.Plaintext as Uint8Array)).toEqual(Buffer.from(dk.Plaintext as Uint8Array));
    expect(
      (await kms.send(new GenerateDataKeyCommand({ KeyId: 'app', NumberOfBytes: 64 }))).Plaintext?.length,
    ).toBe(64);
  });

  it('signs and verifies with RSA and ECDSA keys; the public key verifies outside Hush', async () => {
    const message = Buffer.from('release v1.2.3');
    for (const [KeyId, SigningAlgorithm, hash] of [
      ['signer', 'RSASSA_PKCS1_V1_5_SHA_256', 'sha256'],
      ['ec', 'ECDSA_SHA_256', 'sha256'],
    ] as const) {
      const signed = await kms.send(
        new SignCommand({ KeyId, Message: message, SigningAlgorithm, MessageType: 'RAW' }),
      );
      const verified = await kms.send(
        new VerifyCommand({
          KeyId,
          Message: message,
          Signature: signed.Signature,
          SigningAlgorithm,
          MessageType: 'RAW',
        }),
      );
      expect(verified.SignatureValid).toBe(true);
      const pub = await kms.send(new GetPublicKeyCommand({ KeyId }));
      expect(pub.KeyUsage).toBe('SIGN_VERIFY');
      expect(pub.SigningAlgorithms).toContain(SigningAlgorithm);
      const spki = createPublicKey({
        key: Buffer.from(pub.PublicKey as Uint8Array),
        format: 'der',
        type: 'spki',
      });
      expect(
        createVerify(hash)
          .update(message)
          .verify(spki, Buffer.from(signed.Signature as Uint8Array)),
      ).toBe(true);
      expect(
        await errorName(
          kms.send(
            new VerifyCommand({
              KeyId,
              Message: Buffer.from('other'),
              Signature: signed.Signature,
              SigningAlgorithm,
            }),
          ),
        ),
      ).toBe('KMSInvalidSignatureException');
    }
    expect(
      await errorName(
        kms.send(new SignCommand({ KeyId: 'ec', Message: message, SigningAlgorithm: 'RSASSA_PSS_SHA_256' })),
      ),
    ).toBe('InvalidKeyUsageException');
  });

  it('applies the key token policies: encrypt-only cannot decrypt; an unknown key is NotFoundException', async () => {
    const enc = await kms.send(new EncryptCommand({ KeyId: 'secret-only', Plaintext: Buffer.from('x') }));
    expect(await errorName(kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob })))).toBe(
      'AccessDeniedException',
    );
    expect(
      await errorName(kms.send(new EncryptCommand({ KeyId: 'no-such-key', Plaintext: Buffer.from('x') }))),
    ).toBe('AccessDeniedException');
    // Allowed on every key path (an AWS key cannot carry root): a missing key is then NotFoundException.
    await putPolicy(fx, 'kms-any', [{ path: 'transit/keys/*', capabilities: ['encrypt'] }]);
    const anyKey = await issueKey(fx, ['kms-any']);
    const admin = new KMSClient(sdkOptions(fx, anyKey));
    expect(
      await errorName(admin.send(new EncryptCommand({ KeyId: 'no-such-key', Plaintext: Buffer.from('x') }))),
    ).toBe('NotFoundException');
  });
});
