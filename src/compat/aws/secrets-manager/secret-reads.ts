import { isHushError } from '../../../core/errors/index.js';
import type { VersionSelector } from '../../../store/index.js';
import type { AwsCall } from '../aws-call.js';
import { AwsError } from '../aws-error.js';
import { parseInput } from '../aws-input.js';
import { addressOf, secretArn, versionId, versionOf } from './secret-ids.js';
import {
  awsTags,
  deletionDate,
  epoch,
  labelOf,
  refuseIfDeleting,
  stagesByVersion,
  versionIdsToStages,
} from './secret-state.js';
import { liveInfo } from './secret-writes.js';
import type { SecretsManagerDeps } from './secrets-manager-deps.js';
import { getSecretValueInput, secretIdInput } from './secrets-manager-schemas.js';

/** GetSecretValue: the AWSCURRENT version, or the one named by VersionId / VersionStage (`read`). */
export async function getSecretValue(deps: SecretsManagerDeps, call: AwsCall, raw: unknown) {
  const input = parseInput(getSecretValueInput, raw);
  const address = addressOf(input.SecretId);
  call.note({ path: address });
  await call.authorize(address, 'read');
  const info = await liveInfo(deps, address);
  refuseIfDeleting(info);
  const selector: VersionSelector = {
    ...(input.VersionId !== undefined ? { version: versionOf(input.VersionId) } : {}),
    ...(input.VersionStage !== undefined && input.VersionStage !== 'AWSCURRENT'
      ? { label: labelOf(input.VersionStage) }
      : {}),
  };
  if (selector.version !== undefined && input.VersionStage !== undefined) {
    const stages = stagesByVersion(info).get(selector.version) ?? [];
    if (!stages.includes(input.VersionStage))
      throw new AwsError(
        'ResourceNotFoundException',
        "You can't use a VersionId and a VersionStage that point to different versions.",
      );
  }
  let read: Awaited<ReturnType<SecretsManagerDeps['store']['get']>>;
  try {
    read = await deps.store.get(address, selector);
  } catch (err) {
    if (isHushError(err, 'HUSH_E_DELETED') || isHushError(err, 'HUSH_E_DESTROYED'))
      throw new AwsError(
        'ResourceNotFoundException',
        "Secrets Manager can't find the specified secret value.",
      );
    throw err;
  }
  call.note({ path: address, details: { version: read.version } });
  return {
    ARN: secretArn(call.region, address),
    Name: address,
    VersionId: versionId(read.version),
    SecretString: typeof read.value === 'string' ? read.value : JSON.stringify(read.value),
    VersionStages: stagesByVersion(info).get(read.version) ?? [],
    CreatedDate: epoch(read.createdAt),
  };
}

/** DescribeSecret: metadata, tags, stages and the deletion schedule; never the value (`read`). */
export async function describeSecret(deps: SecretsManagerDeps, call: AwsCall, raw: unknown) {
  const input = parseInput(secretIdInput, raw);
  const address = addressOf(input.SecretId);
  call.note({ path: address });
  await call.authorize(address, 'read');
  return describe(call.region, address, await liveInfo(deps, address));
}

/** The DescribeSecret / ListSecrets entry of one secret. */
export function describe(region: string, address: string, info: Awaited<ReturnType<typeof liveInfo>>) {
  const deleted = deletionDate(info);
  return {
    ARN: secretArn(region, address),
    Name: address,
    ...(info.description !== undefined ? { Description: info.description } : {}),
    RotationEnabled: false,
    LastChangedDate: epoch(info.updatedAt),
    CreatedDate: epoch(info.createdAt),
    ...(deleted ? { DeletedDate: epoch(deleted) } : {}),
    Tags: awsTags(info.tags),
    VersionIdsToStages: versionIdsToStages(info),
  };
}
