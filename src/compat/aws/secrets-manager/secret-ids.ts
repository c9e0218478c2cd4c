import { createHash } from 'node:crypto';
import { parseAddress } from '../../../core/secrets/address.js';
import { HUSH_ACCOUNT_ID } from '../aws-call.js';
import { AwsError } from '../aws-error.js';

/**
 * Names, ARNs and version ids. A secret's Name is its Hush address (`project/environment/path`). Its ARN is
 * `arn:aws:secretsmanager:<region>:000000000000:secret:<name>-<6 hex of sha256(name)>`: stable, so it can be stored
 * in configuration. A VersionId is the Hush version number in a UUID-shaped string (`68757368-0000-4000-8000-`
 * + 12 digits), long enough for the SDKs' and the CLI's client-side checks.
 */

const ARN = /^arn:aws:secretsmanager:[^:]*:[^:]*:secret:(.+)-([0-9a-f]{6})$/;
const VERSION_ID = /^68757368-0000-4000-8000-(\d{12})$/;

/** The 6-character suffix AWS appends to a secret's ARN, derived from the name here. */
function suffix(name: string): string {
  return createHash('sha256').update(name).digest('hex').slice(0, 6);
}

/** The ARN of the secret `name` in `region`. */
export function secretArn(region: string, name: string): string {
  return `arn:aws:secretsmanager:${region}:${HUSH_ACCOUNT_ID}:secret:${name}-${suffix(name)}`;
}

/** The Hush address a SecretId (name or ARN) names; ValidationException when it is not a Hush address. */
export function addressOf(secretId: string): string {
  const arn = ARN.exec(secretId);
  const name = arn?.[1] !== undefined && arn[2] === suffix(arn[1]) ? arn[1] : secretId;
  if (name.startsWith('arn:'))
    throw new AwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
  try {
    parseAddress(name);
  } catch (err) {
    throw new AwsError(
      'ValidationException',
      `Invalid name: Hush secret names are project/environment/path (${(err as Error).message})`,
    );
  }
  return name;
}

/** The VersionId of Hush version `version`. */
export function versionId(version: number): string {
  return `68757368-0000-4000-8000-${String(version).padStart(12, '0')}`;
}

/** The Hush version a VersionId names; ResourceNotFoundException for ids Hush never made. */
export function versionOf(id: string): number {
  const m = VERSION_ID.exec(id);
  const n = m ? Number(m[1]) : 0;
  if (n < 1)
    throw new AwsError(
      'ResourceNotFoundException',
      `Secrets Manager can't find the specified secret value for VersionId: ${id.slice(0, 64)}`,
    );
  return n;
}
