import type { SecretInfo, VersionLabel } from '../../../store/index.js';
import { AwsError } from '../aws-error.js';
import { versionId } from './secret-ids.js';

/**
 * What Secrets Manager sees of a Hush secret: staging labels, tags and the deletion schedule. Hush's labels are the
 * AWS ones (current = AWSCURRENT, previous = AWSPREVIOUS, pending = AWSPENDING); a secret never staged has only
 * AWSCURRENT, on its latest version. A scheduled deletion is the reserved tag `aws:deletion-date` (AWS reserves the
 * `aws:` tag prefix, so no caller tag can collide) plus soft-deleted versions.
 */

export const DELETION_TAG = 'aws:deletion-date';
/** When DeleteSecret was called: RestoreSecret undeletes only the versions soft-deleted since. */
export const DELETION_REQUESTED_TAG = 'aws:deletion-requested';
const STAGES: Readonly<Record<VersionLabel, string>> = {
  current: 'AWSCURRENT',
  previous: 'AWSPREVIOUS',
  pending: 'AWSPENDING',
};

/** The Hush label of an AWS staging label; ValidationException for custom labels (not supported). */
export function labelOf(stage: string): VersionLabel {
  const found = (Object.entries(STAGES) as [VersionLabel, string][]).find(([, s]) => s === stage);
  if (!found)
    throw new AwsError(
      'ValidationException',
      `Hush supports the staging labels AWSCURRENT, AWSPREVIOUS and AWSPENDING, not ${stage.slice(0, 64)}`,
    );
  return found[0];
}

/**
 * The version a label is on. A secret never staged has no labels in Hush: its latest version is AWSCURRENT and the
 * one written before it AWSPREVIOUS (every direct write made the one before it previous, as AWS does).
 */
export function versionForStage(info: SecretInfo, label: VersionLabel): number | undefined {
  if (info.labels !== undefined) return info.labels[label];
  if (label === 'current') return info.current > 0 ? info.current : undefined;
  if (label === 'pending') return undefined;
  const older = info.versions.map((v) => v.version).filter((v) => v < info.current);
  return older.length > 0 ? Math.max(...older) : undefined;
}

/** Version number -> its staging labels. */
export function stagesByVersion(info: SecretInfo): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const label of ['current', 'previous', 'pending'] as const) {
    const v = versionForStage(info, label);
    if (v !== undefined) out.set(v, [...(out.get(v) ?? []), STAGES[label]]);
  }
  return out;
}

/** `VersionIdsToStages` of DescribeSecret / `SecretVersionsToStages` of ListSecrets. */
export function versionIdsToStages(info: SecretInfo): Record<string, string[]> {
  return Object.fromEntries([...stagesByVersion(info)].map(([v, s]) => [versionId(v), s]));
}

/** Tags as AWS lists them (reserved `aws:` tags left out). */
export function awsTags(tags: Readonly<Record<string, string>>): { Key: string; Value: string }[] {
  return Object.entries(tags)
    .filter(([k]) => !k.startsWith('aws:'))
    .map(([Key, Value]) => ({ Key, Value }));
}

/** Tags from an AWS `Tags` list, refusing the reserved prefix as AWS does. */
export function hushTags(
  list: readonly { Key: string; Value?: string | undefined }[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { Key, Value } of list) {
    if (Key.toLowerCase().startsWith('aws:'))
      throw new AwsError('ValidationException', 'Tag keys starting with "aws:" are reserved.');
    out[Key] = Value ?? '';
  }
  return out;
}

/** When the secret is scheduled to be deleted, if it is. */
export function deletionDate(info: Pick<SecretInfo, 'tags'>): Date | undefined {
  const text = info.tags[DELETION_TAG];
  return text === undefined ? undefined : new Date(text);
}

/** Epoch seconds, as the JSON protocol carries timestamps. */
export const epoch = (iso: string | Date): number => Math.floor(new Date(iso).getTime() / 1000);

/** A secret past its recovery window, or with every version destroyed, is gone as far as AWS callers can tell. */
export function isGone(info: SecretInfo, now: Date): boolean {
  const when = deletionDate(info);
  return (when !== undefined && when <= now) || info.versions.every((v) => v.state === 'destroyed');
}

export const NOT_FOUND = () =>
  new AwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");

/** Refuse a call on a secret scheduled for deletion, as AWS does. */
export function refuseIfDeleting(info: SecretInfo): void {
  if (deletionDate(info) !== undefined)
    throw new AwsError(
      'InvalidRequestException',
      "You can't perform this operation on the secret because it was marked for deletion.",
    );
}
