import { isHushError } from '../../../core/errors/index.js';
import type { SecretInfo } from '../../../store/index.js';
import type { AwsCall } from '../aws-call.js';
import { AwsError } from '../aws-error.js';
import { parseInput } from '../aws-input.js';
import { addressOf, secretArn, versionId } from './secret-ids.js';
import { hushTags, isGone, labelOf, NOT_FOUND, refuseIfDeleting } from './secret-state.js';
import type { SecretsManagerDeps } from './secrets-manager-deps.js';
import {
  createSecretInput,
  putSecretValueInput,
  tagResourceInput,
  untagResourceInput,
  updateSecretInput,
} from './secrets-manager-schemas.js';

/** The value to write: SecretString only (Hush values are text or JSON; binary values are not supported). */
function secretStringOf(input: {
  SecretString?: string | undefined;
  SecretBinary?: string | undefined;
}): string | undefined {
  if (input.SecretBinary !== undefined)
    throw new AwsError(
      'ValidationException',
      'Hush stores text values: send SecretString, not SecretBinary.',
    );
  return input.SecretString;
}

/** The secret's metadata for a write or tag change: it must exist and not be scheduled for deletion. */
export async function liveInfo(deps: SecretsManagerDeps, address: string): Promise<SecretInfo> {
  let info: SecretInfo;
  try {
    info = await deps.store.versions(address);
  } catch (err) {
    if (isHushError(err, 'HUSH_E_NOT_FOUND')) throw NOT_FOUND();
    throw err;
  }
  if (isGone(info, deps.clock())) throw NOT_FOUND();
  return info;
}

/** CreateSecret: a new secret (`create` on its address), its first version AWSCURRENT. */
export async function createSecret(deps: SecretsManagerDeps, call: AwsCall, raw: unknown) {
  const input = parseInput(createSecretInput, raw);
  const address = addressOf(input.Name);
  call.note({ path: address });
  await call.authorize(address, 'create');
  const value = secretStringOf(input);
  if (value === undefined)
    throw new AwsError('ValidationException', 'Hush needs a value to create a secret: send SecretString.');
  try {
    const put = await deps.store.put(address, value, {
      actor: call.caller.id,
      cas: 0,
      ...(input.Description !== undefined ? { description: input.Description } : {}),
      ...(input.Tags ? { tags: hushTags(input.Tags) } : {}),
    });
    return { ARN: secretArn(call.region, address), Name: address, VersionId: versionId(put.version) };
  } catch (err) {
    if (!isHushError(err, 'HUSH_E_CAS_CONFLICT') && !isHushError(err, 'HUSH_E_ALREADY_EXISTS')) throw err;
    const info = await deps.store.versions(address).catch(() => undefined);
    if (info) refuseIfDeleting(info);
    throw new AwsError(
      'ResourceExistsException',
      `The operation failed because the secret ${address} already exists.`,
    );
  }
}

/** PutSecretValue: a new version (`update`), AWSCURRENT unless staged as AWSPENDING. */
export async function putSecretValue(deps: SecretsManagerDeps, call: AwsCall, raw: unknown) {
  const input = parseInput(putSecretValueInput, raw);
  const address = addressOf(input.SecretId);
  call.note({ path: address });
  await call.authorize(address, 'update');
  const stages = input.VersionStages ?? ['AWSCURRENT'];
  const labels = new Set(stages.map(labelOf));
  if (labels.size !== 1 || labels.has('previous'))
    throw new AwsError('ValidationException', 'VersionStages must be [AWSCURRENT] or [AWSPENDING] on Hush.');
  const value = secretStringOf(input);
  if (value === undefined)
    throw new AwsError('InvalidParameterException', 'You must provide either SecretString or SecretBinary.');
  refuseIfDeleting(await liveInfo(deps, address));
  const stage = labels.has('pending');
  const put = await deps.store.put(address, value, { actor: call.caller.id, stage });
  return {
    ARN: secretArn(call.region, address),
    Name: address,
    VersionId: versionId(put.version),
    VersionStages: [stage ? 'AWSPENDING' : 'AWSCURRENT'],
  };
}

/** UpdateSecret: description (`update`, metadata only) and/or a new AWSCURRENT version. */
export async function updateSecret(deps: SecretsManagerDeps, call: AwsCall, raw: unknown) {
  const input = parseInput(updateSecretInput, raw);
  const address = addressOf(input.SecretId);
  call.note({ path: address });
  await call.authorize(address, 'update');
  refuseIfDeleting(await liveInfo(deps, address));
  const value = secretStringOf(input);
  const description = input.Description !== undefined ? { description: input.Description } : {};
  if (value === undefined) {
    await deps.store.updateMetadata(address, { actor: call.caller.id, ...description });
    return { ARN: secretArn(call.region, address), Name: address };
  }
  const put = await deps.store.put(address, value, { actor: call.caller.id, ...description });
  return { ARN: secretArn(call.region, address), Name: address, VersionId: versionId(put.version) };
}

/** TagResource / UntagResource: the tag set changes (`update`); reserved `aws:` tags are kept. */
async function retag(
  deps: SecretsManagerDeps,
  call: AwsCall,
  secretId: string,
  change: (tags: Record<string, string>) => Record<string, string>,
) {
  const address = addressOf(secretId);
  call.note({ path: address });
  await call.authorize(address, 'update');
  const info = await liveInfo(deps, address);
  await deps.store.updateMetadata(address, { actor: call.caller.id, tags: change({ ...info.tags }) });
  return {};
}

export async function tagResource(deps: SecretsManagerDeps, call: AwsCall, raw: unknown) {
  const input = parseInput(tagResourceInput, raw);
  return retag(deps, call, input.SecretId, (tags) => ({ ...tags, ...hushTags(input.Tags) }));
}

export async function untagResource(deps: SecretsManagerDeps, call: AwsCall, raw: unknown) {
  const input = parseInput(untagResourceInput, raw);
  return retag(deps, call, input.SecretId, (tags) => {
    for (const key of input.TagKeys) if (!key.startsWith('aws:')) delete tags[key];
    return tags;
  });
}
