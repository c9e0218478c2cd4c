import { checkKeyName } from '../../../transit/index.js';
import { HUSH_ACCOUNT_ID } from '../aws-call.js';
import { AwsError } from '../aws-error.js';

/**
 * KMS key ids are transit key names. A KeyId may be the name, `alias/<name>`, or an ARN
 * `arn:aws:kms:<region>:000000000000:key/<name>` (or `:alias/<name>`); replies name keys by that ARN.
 * Ciphertext blobs carry the key name so Decrypt needs no KeyId, as in AWS:
 * `0x48 0x01 <name length> <name> <hush:v<N>:... transit ciphertext>`.
 */

const ARN = /^arn:aws:kms:[^:]*:[^:]*:(?:key|alias)\/(.+)$/;
const MAGIC = 0x48;
const FORMAT = 0x01;

/** The transit key name a KeyId names. */
export function keyNameOf(keyId: string): string {
  const name = ARN.exec(keyId)?.[1] ?? (keyId.startsWith('alias/') ? keyId.slice(6) : keyId);
  try {
    checkKeyName(name);
  } catch {
    throw new AwsError('NotFoundException', `Invalid keyId '${keyId.slice(0, 256)}'`);
  }
  return name;
}

/** The ARN replies name a key by. */
export function keyArn(region: string, name: string): string {
  return `arn:aws:kms:${region}:${HUSH_ACCOUNT_ID}:key/${name}`;
}

/** Wrap a transit ciphertext with its key name into a KMS CiphertextBlob (base64). */
export function encodeBlob(name: string, transitCiphertext: string): string {
  const n = Buffer.from(name, 'utf8');
  return Buffer.concat([
    Buffer.from([MAGIC, FORMAT, n.length]),
    n,
    Buffer.from(transitCiphertext, 'utf8'),
  ]).toString('base64');
}

/** The key name and transit ciphertext inside a CiphertextBlob; InvalidCiphertextException when it is not one. */
export function decodeBlob(blob: string): { name: string; ciphertext: string } {
  const bytes = Buffer.from(blob, 'base64');
  const len = bytes[2] ?? 0;
  const name = bytes.subarray(3, 3 + len).toString('utf8');
  const ciphertext = bytes.subarray(3 + len).toString('utf8');
  if (bytes[0] !== MAGIC || bytes[1] !== FORMAT || len === 0 || !ciphertext.startsWith('hush:v'))
    throw new AwsError('InvalidCiphertextException', 'The ciphertext is not a Hush KMS ciphertext blob.');
  return { name, ciphertext };
}

/** An EncryptionContext as transit associated data: its pairs sorted, as JSON, base64 (order-insensitive, like AWS). */
export function contextData(context: Readonly<Record<string, string>> | undefined): {
  associatedData?: string;
} {
  if (context === undefined || Object.keys(context).length === 0) return {};
  const sorted = Object.entries(context).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { associatedData: Buffer.from(JSON.stringify(sorted), 'utf8').toString('base64') };
}
