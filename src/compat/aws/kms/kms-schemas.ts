import { z } from 'zod';

/** Input members of the supported KMS operations (blobs are base64 on the JSON wire). */

const keyId = z.string().min(1).max(2048);
const blob = z.string().min(1).max(8192);
const context = z.record(z.string(), z.string()).optional();
const grants = { GrantTokens: z.array(z.string()).optional(), DryRun: z.boolean().optional() };

export const encryptInput = z.object({
  KeyId: keyId,
  Plaintext: z.string().min(1).max(5600),
  EncryptionContext: context,
  EncryptionAlgorithm: z.string().optional(),
  ...grants,
});
export const decryptInput = z.object({
  CiphertextBlob: blob,
  KeyId: keyId.optional(),
  EncryptionContext: context,
  EncryptionAlgorithm: z.string().optional(),
  ...grants,
});
export const generateDataKeyInput = z.object({
  KeyId: keyId,
  KeySpec: z.enum(['AES_128', 'AES_256']).optional(),
  NumberOfBytes: z.number().int().min(1).max(1024).optional(),
  EncryptionContext: context,
  ...grants,
});
export const reEncryptInput = z.object({
  CiphertextBlob: blob,
  SourceKeyId: keyId.optional(),
  DestinationKeyId: keyId,
  SourceEncryptionContext: context,
  DestinationEncryptionContext: context,
  SourceEncryptionAlgorithm: z.string().optional(),
  DestinationEncryptionAlgorithm: z.string().optional(),
  ...grants,
});
export const signInput = z.object({
  KeyId: keyId,
  Message: z.string().min(1).max(8192),
  MessageType: z.enum(['RAW', 'DIGEST']).optional(),
  SigningAlgorithm: z.string().min(1),
  ...grants,
});
export const verifyInput = signInput.extend({ Signature: z.string().min(1).max(8192) });
export const keyIdInput = z.object({ KeyId: keyId, ...grants });
