import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { HushClient } from '../../client/index.js';
import { hushError } from '../../core/errors/index.js';
import {
  digest,
  formatVersioned,
  parseHash,
  type RsaScheme,
  type TransitHash,
} from '../../core/transit/index.js';

/** Largest artefact sent whole; larger ones are signed as a digest (RSA keys only). */
const MAX_MESSAGE_BYTES = 1024 * 1024;

export interface SigOpts {
  key: string;
  hash?: string;
  signatureAlgorithm?: string;
}

/** The RSA scheme flag: pss (default) or pkcs1v15. */
export function scheme(text: string | undefined): RsaScheme {
  if (text === undefined || text === 'pss' || text === 'pkcs1v15') return text ?? 'pss';
  throw hushError('SIGNATURE_ALGORITHM_TAKES_PSS_PKCS1V15', { text: text.slice(0, 20) });
}

/** The bytes of `file`, or a coded error naming `what` could not be read. */
export async function readArtefact(file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw hushError('CANNOT_READ_WHAT_FILE_VALUE', {
      what,
      file,
      value: typeof code === 'string' ? ` (${code})` : '',
    });
  }
}

/** A public key file (PEM, or a JWK as JSON) for offline verification. */
export function publicKeyFrom(text: Buffer, file: string): KeyObject {
  try {
    const trimmed = text.toString('utf8').trim();
    return trimmed.startsWith('{')
      ? createPublicKey({ key: JSON.parse(trimmed) as JsonWebKey, format: 'jwk' })
      : createPublicKey(trimmed);
  } catch {
    throw hushError('NOT_PEM_JWK_PUBLIC_KEY', { file });
  }
}

/**
 * What goes to the server for FILE's bytes: the bytes, or their digest when over {@link MAX_MESSAGE_BYTES} (a request
 * body could not carry them). Sign and verify share it, so a large artefact verifies exactly as it was signed.
 */
export function signedInput(data: Buffer, hash: TransitHash): { input: Buffer; prehashed: boolean } {
  if (data.length <= MAX_MESSAGE_BYTES) return { input: data, prehashed: false };
  return { input: digest(hash, data), prehashed: true };
}

/** Verify against the server: the raw signature is tried as each version that still verifies, newest first. */
export async function verifyRemote(
  client: HushClient,
  key: string,
  data: Buffer,
  sig: Buffer,
  opts: SigOpts,
) {
  const view = await client.transit.readKey(key);
  const versions = view.versions
    .map((v) => v.version)
    .filter((v) => v >= view.minDecryptionVersion)
    .reverse();
  const { input, prehashed } = signedInput(data, parseHash(opts.hash));
  const results = await client.transit.verify(
    key,
    versions.map((v) => ({
      input: input.toString('base64'),
      signature: formatVersioned(v, sig),
      ...(prehashed ? { prehashed: true } : {}),
      ...(opts.hash ? { hashAlgorithm: opts.hash } : {}),
      ...(opts.signatureAlgorithm ? { signatureAlgorithm: opts.signatureAlgorithm } : {}),
    })),
  );
  const at = results.findIndex((r) => 'valid' in r && r.valid);
  return at === -1 ? undefined : versions[at];
}
