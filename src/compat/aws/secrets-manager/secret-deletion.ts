import type { AwsCall } from '../aws-call.js';
import { AwsError } from '../aws-error.js';
import { parseInput } from '../aws-input.js';
import { addressOf, secretArn } from './secret-ids.js';
import { DELETION_REQUESTED_TAG, DELETION_TAG, deletionDate, epoch } from './secret-state.js';
import { liveInfo } from './secret-writes.js';
import type { SecretsManagerDeps } from './secrets-manager-deps.js';
import { deleteSecretInput, secretIdInput } from './secrets-manager-schemas.js';

const DAY_MS = 86_400_000;

/**
 * DeleteSecret. With a recovery window (7-30 days, default 30): the deletion date is noted (reserved tag) and every
 * live version soft-deleted (`delete`), so RestoreSecret can bring it back; after the date the secret reads as not
 * found. ForceDeleteWithoutRecovery: every version is destroyed at once (`destroy`: crypto-shredded, for good).
 */
export async function deleteSecret(deps: SecretsManagerDeps, call: AwsCall, raw: unknown) {
  const input = parseInput(deleteSecretInput, raw);
  const address = addressOf(input.SecretId);
  call.note({ path: address });
  const force = input.ForceDeleteWithoutRecovery === true;
  if (force && input.RecoveryWindowInDays !== undefined)
    throw new AwsError(
      'InvalidParameterException',
      "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
    );
  const days = input.RecoveryWindowInDays ?? 30;
  if (days < 7 || days > 30)
    throw new AwsError(
      'InvalidParameterException',
      'The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).',
    );
  await call.authorize(address, force ? 'destroy' : 'delete');
  const info = await liveInfo(deps, address);
  const already = deletionDate(info);
  if (already && !force)
    throw new AwsError(
      'InvalidRequestException',
      "You can't perform this operation on the secret because it was already scheduled for deletion.",
    );
  const now = deps.clock();
  const when = force ? now : (already ?? new Date(now.getTime() + days * DAY_MS));
  // The schedule first: if the version change fails half-way, reads are already refused and RestoreSecret works.
  await deps.store.updateMetadata(address, {
    actor: call.caller.id,
    tags: { ...info.tags, [DELETION_TAG]: when.toISOString(), [DELETION_REQUESTED_TAG]: now.toISOString() },
  });
  const options = { actor: call.caller.id };
  if (force) {
    const versions = info.versions.filter((v) => v.state !== 'destroyed').map((v) => v.version);
    if (versions.length > 0) await deps.store.destroy(address, { ...options, versions });
  } else {
    const versions = info.versions.filter((v) => v.state === 'active').map((v) => v.version);
    if (versions.length > 0) await deps.store.delete(address, { ...options, versions });
  }
  call.note({ path: address, details: { force, recoveryWindowDays: force ? 0 : days } });
  return { ARN: secretArn(call.region, address), Name: address, DeletionDate: epoch(when) };
}

/** RestoreSecret: cancel a scheduled deletion, undeleting the versions it soft-deleted (`delete`, as undelete). */
export async function restoreSecret(deps: SecretsManagerDeps, call: AwsCall, raw: unknown) {
  const input = parseInput(secretIdInput, raw);
  const address = addressOf(input.SecretId);
  call.note({ path: address });
  await call.authorize(address, 'delete');
  const info = await liveInfo(deps, address);
  const when = deletionDate(info);
  if (when === undefined) return { ARN: secretArn(call.region, address), Name: address };
  // Only the versions this deletion soft-deleted: one deleted natively before it stays deleted.
  const requested = info.tags[DELETION_REQUESTED_TAG] ?? '';
  const versions = info.versions
    .filter((v) => v.state === 'deleted' && (v.deletedAt ?? '') >= requested)
    .map((v) => v.version);
  if (versions.length > 0) await deps.store.undelete(address, { actor: call.caller.id, versions });
  const { [DELETION_TAG]: _when, [DELETION_REQUESTED_TAG]: _asked, ...tags } = info.tags;
  await deps.store.updateMetadata(address, { actor: call.caller.id, tags });
  return { ARN: secretArn(call.region, address), Name: address };
}
