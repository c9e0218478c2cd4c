import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { HushClient } from '../../client/index.js';
import { hushError } from '../../core/errors/index.js';
import {
  digest,
  formatVersioned,
  parseHash,
  preparePublicKey,
  type RsaScheme,
  type TransitHash,
  verifyBytes,
} from '../../core/transit/index.js';
import { writeFileAtomically } from '../../fs/atomic-file.js';
import { emit } from '../io/output.js';
import { remoteContext } from '../remote/request.js';

/** Largest artefact sent whole; larger ones are signed as a digest (RSA keys only). */
const MAX_MESSAGE_BYTES = 1024 * 1024;

export interface SigOpts {
  key: string;
  hash?: string;
  signatureAlgorithm?: string;
}

function scheme(text: string | undefined): RsaScheme {
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
function publicKeyFrom(text: Buffer, file: string): KeyObject {
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
function signedInput(data: Buffer, hash: TransitHash): { input: Buffer; prehashed: boolean } {
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

/** `hush sign FILE --key KEY` and `hush verify FILE --sig SIG --key KEY|--public-key FILE`: detached artefact signatures. */
export function registerSignArtefact(program: Command): void {
  program
    .command('sign <file>')
    .description('sign a file with a transit key; writes a detached raw signature (openssl-verifiable)')
    .requiredOption('--key <name>', 'transit signing key (ed25519, ecdsa-p256/p384, rsa-*)')
    .option('--out <file>', 'where to write the signature (default FILE.sig)')
    .option('--hash <alg>', 'sha2-256 (default), sha2-384 or sha2-512')
    .option('--signature-algorithm <alg>', 'RSA: pss (default) or pkcs1v15')
    .action(async (file: string, opts: SigOpts & { out?: string }, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const data = await readArtefact(file, 'file');
      const hash = parseHash(opts.hash);
      const rsaScheme = scheme(opts.signatureAlgorithm);
      const { input, prehashed } = signedInput(data, hash);
      const res = await ctx.client.transit.sign(opts.key, {
        input: input.toString('base64'),
        hashAlgorithm: hash,
        signatureAlgorithm: rsaScheme,
        ...(prehashed ? { prehashed: true } : {}),
      });
      const raw = Buffer.from(res.signature.slice(res.signature.indexOf(':', 6) + 1), 'base64');
      const out = opts.out ?? `${file}.sig`;
      // A signature is public, hence 0644; written atomically and never through a symlink (issue 13 item 12).
      await writeFileAtomically(out, { overwrite: true, mode: 0o644, flag: '--out' }, async (h) => {
        await h.writeFile(raw);
      });
      emit(
        ctx,
        { signatureFile: out, key: opts.key, keyVersion: res.keyVersion },
        () => `wrote ${out} (key ${opts.key} v${res.keyVersion})`,
      );
    });

  program
    .command('verify <file>')
    .description(
      'check a detached signature: against the server (--key), or offline against a public key file (--public-key)',
    )
    .requiredOption('--sig <file>', 'the signature file (raw, as hush sign or openssl writes it)')
    .option('--key <name>', 'transit key name: checked by the server')
    .option('--public-key <file>', 'a PEM or JWK public key file: checked offline')
    .option('--hash <alg>', 'sha2-256 (default), sha2-384 or sha2-512')
    .option('--signature-algorithm <alg>', 'RSA: pss (default) or pkcs1v15')
    .action(
      async (file: string, opts: Partial<SigOpts> & { sig: string; publicKey?: string }, cmd: Command) => {
        // Two flags rather than one that is "a file if one exists by that name": a deploy gate runs in a checkout the
        // artefact's author controls, where a file named like the key would swap in the author's own public key.
        if ((opts.key === undefined) === (opts.publicKey === undefined))
          throw hushError('VERIFY_NEEDS_KEY_OR_PUBLIC_KEY');
        const data = await readArtefact(file, 'file');
        const sig = await readArtefact(opts.sig, 'signature file');
        const json = (cmd.optsWithGlobals() as { json?: boolean }).json === true;
        let result: { valid: boolean; keyVersion?: number; offline: boolean };
        const keyLabel = opts.key ?? opts.publicKey ?? '';
        if (opts.publicKey !== undefined) {
          const prepared = preparePublicKey(
            publicKeyFrom(await readArtefact(opts.publicKey, 'public key'), opts.publicKey),
          );
          if (!prepared) throw hushError('NOT_ED25519_ECDSA_RSA_PUBLIC', { key: opts.publicKey });
          const valid = verifyBytes(prepared, data, sig, {
            hash: parseHash(opts.hash),
            rsaScheme: scheme(opts.signatureAlgorithm),
          });
          result = { valid, offline: true };
        } else {
          const ctx = remoteContext(cmd);
          const version = await verifyRemote(ctx.client, keyLabel, data, sig, { ...opts, key: keyLabel });
          result = {
            valid: version !== undefined,
            offline: false,
            ...(version !== undefined ? { keyVersion: version } : {}),
          };
        }
        emit({ json }, result, () => (result.valid ? `valid signature of ${file}` : ''));
        if (!result.valid) throw hushError('SIGNATURE_NOT_VERIFY', { sig: opts.sig, file, key: keyLabel });
      },
    );
}
