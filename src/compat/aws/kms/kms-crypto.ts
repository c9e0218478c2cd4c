import { isHushError } from '../../../core/errors/index.js';
import { keyPolicyPath, single, type Transit } from '../../../transit/index.js';
import type { AwsCall } from '../aws-call.js';
import { AwsError } from '../aws-error.js';
import { parseInput } from '../aws-input.js';
import { contextData, decodeBlob, encodeBlob, keyArn, keyNameOf } from './kms-ids.js';
import { decryptInput, encryptInput, generateDataKeyInput, reEncryptInput } from './kms-schemas.js';

/** What the KMS translation calls: the transit engine (keys and operations). */
export interface KmsDeps {
  readonly transit: Transit;
}

const ALGORITHM = 'SYMMETRIC_DEFAULT';

/** Symmetric only (AES-256-GCM / ChaCha20 transit keys): any other algorithm is refused up front. */
function checkAlgorithm(algorithm: string | undefined): void {
  if (algorithm !== undefined && algorithm !== ALGORITHM)
    throw new AwsError(
      'InvalidKeyUsageException',
      `Hush KMS keys support EncryptionAlgorithm ${ALGORITHM} only.`,
    );
}

/** Encrypt with transit under `name` (`encrypt` on `transit/keys/<name>`). */
async function encryptUnder(
  deps: KmsDeps,
  call: AwsCall,
  name: string,
  plaintext: string,
  context: Record<string, string> | undefined,
): Promise<string> {
  await call.authorize(keyPolicyPath(name), 'encrypt');
  const out = single(await deps.transit.ops.encrypt(name, [{ plaintext, ...contextData(context) }]));
  return encodeBlob(name, out.ciphertext);
}

/** Decrypt a blob (`decrypt` on its key); a wrong key, context or tampered blob is InvalidCiphertextException. */
async function decryptBlob(
  deps: KmsDeps,
  call: AwsCall,
  blob: string,
  keyId: string | undefined,
  context: Record<string, string> | undefined,
): Promise<{ name: string; plaintext: string }> {
  const { name, ciphertext } = decodeBlob(blob);
  if (keyId !== undefined && keyNameOf(keyId) !== name)
    throw new AwsError(
      'IncorrectKeyException',
      'The key ID in the request does not identify a CMK that can perform this operation.',
    );
  await call.authorize(keyPolicyPath(name), 'decrypt');
  try {
    const out = single(await deps.transit.ops.decrypt(name, [{ ciphertext, ...contextData(context) }]));
    return { name, plaintext: out.plaintext };
  } catch (err) {
    if (isHushError(err) && !['HUSH_E_NOT_FOUND', 'HUSH_E_FORBIDDEN', 'HUSH_E_SEALED'].includes(err.code))
      throw new AwsError('InvalidCiphertextException', 'The ciphertext could not be decrypted.');
    throw err;
  }
}

export async function encrypt(deps: KmsDeps, call: AwsCall, raw: unknown) {
  const input = parseInput(encryptInput, raw);
  checkAlgorithm(input.EncryptionAlgorithm);
  const name = keyNameOf(input.KeyId);
  call.note({ path: keyPolicyPath(name), details: { key: name } });
  const blob = await encryptUnder(deps, call, name, input.Plaintext, input.EncryptionContext);
  return { CiphertextBlob: blob, KeyId: keyArn(call.region, name), EncryptionAlgorithm: ALGORITHM };
}

export async function decrypt(deps: KmsDeps, call: AwsCall, raw: unknown) {
  const input = parseInput(decryptInput, raw);
  checkAlgorithm(input.EncryptionAlgorithm);
  const { name, plaintext } = await decryptBlob(
    deps,
    call,
    input.CiphertextBlob,
    input.KeyId,
    input.EncryptionContext,
  );
  call.note({ path: keyPolicyPath(name), details: { key: name } });
  return { KeyId: keyArn(call.region, name), Plaintext: plaintext, EncryptionAlgorithm: ALGORITHM };
}

/** GenerateDataKey / WithoutPlaintext: a fresh 16, 32 or 64-byte key from transit's datakey (`encrypt`). */
async function dataKey(deps: KmsDeps, call: AwsCall, raw: unknown, withPlaintext: boolean) {
  const input = parseInput(generateDataKeyInput, raw);
  if ((input.KeySpec === undefined) === (input.NumberOfBytes === undefined))
    throw new AwsError('ValidationException', 'Specify either KeySpec or NumberOfBytes, but not both.');
  const bytes = input.NumberOfBytes ?? (input.KeySpec === 'AES_128' ? 16 : 32);
  if (![16, 32, 64].includes(bytes))
    throw new AwsError('ValidationException', 'Hush data keys are 16, 32 or 64 bytes (NumberOfBytes).');
  const name = keyNameOf(input.KeyId);
  call.note({ path: keyPolicyPath(name), details: { key: name, bytes } });
  await call.authorize(keyPolicyPath(name), 'encrypt');
  const out = await deps.transit.ops.datakey(name, {
    bits: bytes * 8,
    wrappedOnly: !withPlaintext,
    ...contextData(input.EncryptionContext),
  });
  return {
    CiphertextBlob: encodeBlob(name, out.ciphertext),
    ...(withPlaintext && out.plaintext !== undefined ? { Plaintext: out.plaintext } : {}),
    KeyId: keyArn(call.region, name),
  };
}

export const generateDataKey = (deps: KmsDeps, call: AwsCall, raw: unknown) => dataKey(deps, call, raw, true);
export const generateDataKeyWithoutPlaintext = (deps: KmsDeps, call: AwsCall, raw: unknown) =>
  dataKey(deps, call, raw, false);

/** ReEncrypt: decrypt under the source key (`decrypt`) and encrypt under the destination (`encrypt`), server-side. */
export async function reEncrypt(deps: KmsDeps, call: AwsCall, raw: unknown) {
  const input = parseInput(reEncryptInput, raw);
  checkAlgorithm(input.SourceEncryptionAlgorithm);
  checkAlgorithm(input.DestinationEncryptionAlgorithm);
  const destination = keyNameOf(input.DestinationKeyId);
  const source = await decryptBlob(
    deps,
    call,
    input.CiphertextBlob,
    input.SourceKeyId,
    input.SourceEncryptionContext,
  );
  call.note({ path: keyPolicyPath(destination), details: { key: destination, sourceKey: source.name } });
  const blob = await encryptUnder(
    deps,
    call,
    destination,
    source.plaintext,
    input.DestinationEncryptionContext,
  );
  return {
    CiphertextBlob: blob,
    SourceKeyId: keyArn(call.region, source.name),
    KeyId: keyArn(call.region, destination),
    SourceEncryptionAlgorithm: ALGORITHM,
    DestinationEncryptionAlgorithm: ALGORITHM,
  };
}
