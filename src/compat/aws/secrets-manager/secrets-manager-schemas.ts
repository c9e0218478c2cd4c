import { z } from 'zod';

/** Input members of the supported Secrets Manager operations (unknown members are ignored, as AWS does). */

const secretId = z.string().min(1).max(2048);
const tags = z
  .array(z.object({ Key: z.string().min(1).max(128), Value: z.string().max(256).optional() }))
  .max(50);
const value = {
  SecretString: z.string().max(65536).optional(),
  SecretBinary: z.string().optional(),
  ClientRequestToken: z.string().min(32).max(64).optional(),
};

export const createSecretInput = z.object({
  Name: z.string().min(1).max(512),
  Description: z.string().max(2048).optional(),
  KmsKeyId: z.string().optional(),
  Tags: tags.optional(),
  ...value,
});
export const getSecretValueInput = z.object({
  SecretId: secretId,
  VersionId: z.string().min(32).max(64).optional(),
  VersionStage: z.string().min(1).max(256).optional(),
});
export const putSecretValueInput = z.object({
  SecretId: secretId,
  VersionStages: z.array(z.string().min(1).max(256)).min(1).max(20).optional(),
  ...value,
});
export const updateSecretInput = z.object({
  SecretId: secretId,
  Description: z.string().max(2048).optional(),
  KmsKeyId: z.string().optional(),
  ...value,
});
export const secretIdInput = z.object({ SecretId: secretId });
export const deleteSecretInput = z.object({
  SecretId: secretId,
  RecoveryWindowInDays: z.number().int().optional(),
  ForceDeleteWithoutRecovery: z.boolean().optional(),
});
export const tagResourceInput = z.object({ SecretId: secretId, Tags: tags });
export const untagResourceInput = z.object({
  SecretId: secretId,
  TagKeys: z.array(z.string().min(1).max(128)),
});
export const listSecretsInput = z.object({
  MaxResults: z.number().int().min(1).max(100).optional(),
  NextToken: z.string().max(4096).optional(),
  IncludePlannedDeletion: z.boolean().optional(),
  SortOrder: z.enum(['asc', 'desc']).optional(),
  Filters: z
    .array(
      z.object({
        Key: z.enum([
          'description',
          'name',
          'tag-key',
          'tag-value',
          'primary-region',
          'owning-service',
          'all',
        ]),
        Values: z.array(z.string().min(1).max(512)).min(1).max(10),
      }),
    )
    .max(10)
    .optional(),
});
