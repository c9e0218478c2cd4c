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
  versionForStage,
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
  // Stages resolve to a version here (not in the store), so a never-staged secret still has AWSPREVIOUS.
  let version = input.VersionId !== undefined ? versionOf(input.VersionId) : undefined;
  if (input.VersionStage !== undefined) {
    const staged = versionForStage(info, labelOf(input.VersionStage));
    if (staged === undefined || (version !== undefined && version !== staged))
      throw new AwsError(
        'ResourceNotFoundException',
        `Secrets Manager can't find the specified secret value for staging label: ${input.VersionStage.slice(0, 64)}`,
      );
    version = staged;
  }
  const selector: VersionSelector = version !== undefined ? { version } : {};
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
