import { keyPolicyPath, single, type TransitKeyView } from '../../../transit/index.js';
import type { AwsCall } from '../aws-call.js';
import { AwsError } from '../aws-error.js';
import { parseInput } from '../aws-input.js';
import type { KmsDeps } from './kms-crypto.js';
import { keyArn, keyNameOf } from './kms-ids.js';
import { keyIdInput, signInput, verifyInput } from './kms-schemas.js';

/** KMS key spec and signing algorithms of each asymmetric transit key type. */
const SPECS: Readonly<Record<string, { spec: string; algorithms: readonly string[] }>> = {
  'rsa-2048': { spec: 'RSA_2048', algorithms: rsaAlgorithms() },
  'rsa-3072': { spec: 'RSA_3072', algorithms: rsaAlgorithms() },
  'rsa-4096': { spec: 'RSA_4096', algorithms: rsaAlgorithms() },
  'ecdsa-p256': { spec: 'ECC_NIST_P256', algorithms: ['ECDSA_SHA_256'] },
  'ecdsa-p384': { spec: 'ECC_NIST_P384', algorithms: ['ECDSA_SHA_384'] },
  ed25519: { spec: 'ECC_NIST_EDWARDS25519', algorithms: ['ED25519_SHA_512'] },
};

function rsaAlgorithms(): string[] {
  return ['PSS', 'PKCS1_V1_5'].flatMap((s) => ['256', '384', '512'].map((h) => `RSASSA_${s}_SHA_${h}`));
}

/** The key's view, refusing keys that cannot sign (symmetric, HMAC). */
async function signingKey(
  deps: KmsDeps,
  name: string,
): Promise<TransitKeyView & { kms: (typeof SPECS)[string] }> {
  const view = await deps.transit.keys.get(name);
  const kms = SPECS[view.type];
  if (!kms)
    throw new AwsError(
      'InvalidKeyUsageException',
      `The key ${name} is a ${view.type} key: it cannot sign, verify or export a public key.`,
    );
  return { ...view, kms };
}

/** Transit sign/verify options for a KMS SigningAlgorithm on this key. */
function signOptions(
  view: TransitKeyView & { kms: (typeof SPECS)[string] },
  algorithm: string,
  digest: boolean,
) {
  if (!view.kms.algorithms.includes(algorithm))
    throw new AwsError(
      'InvalidKeyUsageException',
      `SigningAlgorithm ${algorithm.slice(0, 64)} is not valid for this key; use one of ${view.kms.algorithms.join(', ')}.`,
    );
  if (view.type === 'ed25519') {
    if (digest) throw new AwsError('ValidationException', 'Ed25519 keys sign RAW messages only.');
    return {};
  }
  const hash = `sha2-${algorithm.slice(-3)}`;
  const scheme = algorithm.startsWith('RSASSA_PKCS1') ? { signatureAlgorithm: 'pkcs1v15' } : {};
  return { hashAlgorithm: hash, prehashed: digest, ...scheme };
}

/** Sign (`sign` on `transit/keys/<name>`): the raw signature (ECDSA DER, RSA PSS/PKCS#1, Ed25519), as KMS returns. */
export async function sign(deps: KmsDeps, call: AwsCall, raw: unknown) {
  const input = parseInput(signInput, raw);
  const name = keyNameOf(input.KeyId);
  call.note({ path: keyPolicyPath(name), details: { key: name } });
  await call.authorize(keyPolicyPath(name), 'sign');
  const view = await signingKey(deps, name);
  const options = signOptions(view, input.SigningAlgorithm, input.MessageType === 'DIGEST');
  const out = single(await deps.transit.ops.sign(name, [{ input: input.Message, ...options }]));
  return {
    KeyId: keyArn(call.region, name),
    Signature: out.signature.slice(out.signature.indexOf(':', 6) + 1),
    SigningAlgorithm: input.SigningAlgorithm,
  };
}

/**
 * Verify (`verify`): KMS signatures carry no key version, so each available version is tried, newest first. An
 * invalid signature is KMSInvalidSignatureException, as in AWS.
 */
export async function verify(deps: KmsDeps, call: AwsCall, raw: unknown) {
  const input = parseInput(verifyInput, raw);
  const name = keyNameOf(input.KeyId);
  call.note({ path: keyPolicyPath(name), details: { key: name } });
  await call.authorize(keyPolicyPath(name), 'verify');
  const view = await signingKey(deps, name);
  const options = signOptions(view, input.SigningAlgorithm, input.MessageType === 'DIGEST');
  const versions = view.versions.map((v) => v.version).sort((a, b) => b - a);
  const items = versions.map((v) => ({
    input: input.Message,
    signature: `hush:v${v}:${input.Signature}`,
    ...options,
  }));
  const results = await deps.transit.ops.verify(name, items);
  if (!results.some((r) => r.ok && r.value.valid))
    throw new AwsError(
      'KMSInvalidSignatureException',
      'The signature is not valid for this message and key.',
    );
  return { KeyId: keyArn(call.region, name), SignatureValid: true, SigningAlgorithm: input.SigningAlgorithm };
}

/** GetPublicKey (`read`): the latest version's public key as DER SubjectPublicKeyInfo, with its spec and usage. */
export async function getPublicKey(deps: KmsDeps, call: AwsCall, raw: unknown) {
  const input = parseInput(keyIdInput, raw);
  const name = keyNameOf(input.KeyId);
  call.note({ path: keyPolicyPath(name), details: { key: name } });
  await call.authorize(keyPolicyPath(name), 'read');
  const view = await signingKey(deps, name);
  const latest = (view.publicKeys ?? []).reduce<{ version: number; pem: string } | undefined>(
    (best, k) => (best === undefined || k.version > best.version ? k : best),
    undefined,
  );
  if (!latest) throw new AwsError('KMSInvalidStateException', `The key ${name} has no available version.`);
  const der = latest.pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  return {
    KeyId: keyArn(call.region, name),
    PublicKey: der,
    KeySpec: view.kms.spec,
    CustomerMasterKeySpec: view.kms.spec,
    KeyUsage: 'SIGN_VERIFY',
    SigningAlgorithms: view.kms.algorithms,
  };
}
