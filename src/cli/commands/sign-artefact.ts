import type { Command } from 'commander';
import type { HushClient } from '../../client/index.js';
import { hushError } from '../../core/errors/index.js';
import {
  type DsseEnvelope,
  pae,
  parseDsseEnvelope,
  parseHash,
  preparePublicKey,
  verifyBytes,
} from '../../core/transit/index.js';
import { writeFileAtomically } from '../../fs/atomic-file.js';
import { emit } from '../io/output.js';
import { remoteContext } from '../remote/request.js';
import {
  publicKeyFrom,
  readArtefact,
  type SigOpts,
  scheme,
  signedInput,
  verifyRemote,
} from './artefact-signature.js';
import { verifyWithCertificate } from './trust-verify.js';

interface SignFlags extends SigOpts {
  out?: string;
  dsse?: boolean;
  payloadType?: string;
}

interface VerifyFlags extends Partial<SigOpts> {
  sig?: string;
  cert?: string;
  trust?: string;
  publicKey?: string;
  dsse?: boolean;
  payloadOut?: string;
}

/** The optional signing flags, present ones only. */
const signingFlags = (opts: Partial<SigOpts>) => ({
  ...(opts.hash ? { hash: opts.hash } : {}),
  ...(opts.signatureAlgorithm ? { signatureAlgorithm: opts.signatureAlgorithm } : {}),
});

/** Sign `message` with transit key `opts.key`: the raw signature bytes and the key version that made them. */
async function signBytes(client: HushClient, message: Buffer, opts: SigOpts) {
  const hash = parseHash(opts.hash);
  const { input, prehashed } = signedInput(message, hash);
  const res = await client.transit.sign(opts.key, {
    input: input.toString('base64'),
    hashAlgorithm: hash,
    // Named only when asked for: otherwise the server signs with the key's own scheme (its JWKS alg).
    ...(opts.signatureAlgorithm ? { signatureAlgorithm: scheme(opts.signatureAlgorithm) } : {}),
    ...(prehashed ? { prehashed: true } : {}),
  });
  const raw = Buffer.from(res.signature.slice(res.signature.indexOf(':', 6) + 1), 'base64');
  return { raw, keyVersion: res.keyVersion };
}

/** Write public output (a signature or an envelope): 0644, atomically, never through a symlink (issue 13 item 12). */
async function writePublic(out: string, bytes: Buffer): Promise<void> {
  await writeFileAtomically(out, { overwrite: true, mode: 0o644, flag: '--out' }, async (h) => {
    await h.writeFile(bytes);
  });
}

/**
 * `hush sign FILE --key KEY` (detached raw signature) or `--dsse --payload-type T` (a DSSE envelope over the file),
 * and `hush verify FILE --sig SIG` / `hush verify ENVELOPE --dsse`, against the server (--key) or offline
 * (--public-key).
 */
export function registerSignArtefact(program: Command): void {
  program
    .command('sign <file>')
    .description(
      'sign a file with a transit key; writes a detached raw signature (openssl-verifiable) or a DSSE envelope',
    )
    .requiredOption('--key <name>', 'transit signing key (ed25519, ecdsa-p256/p384, rsa-*)')
    .option('--out <file>', 'where to write the signature (default FILE.sig, or FILE.dsse.json with --dsse)')
    .option('--hash <alg>', 'sha2-256 (default), sha2-384 or sha2-512')
    .option('--signature-algorithm <alg>', "RSA: pss or pkcs1v15 (default: the key's scheme; pss offline)")
    .option('--dsse', 'write an in-toto/DSSE envelope carrying FILE as its payload')
    .option('--payload-type <type>', 'with --dsse: the payload type, e.g. application/vnd.in-toto+json')
    .action(async (file: string, opts: SignFlags, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const data = await readArtefact(file, 'file');
      if (opts.dsse) {
        if (!opts.payloadType) throw hushError('DSSE_NEEDS_PAYLOAD_TYPE');
        const signed = await signBytes(ctx.client, pae(opts.payloadType, data), opts);
        const envelope: DsseEnvelope = {
          payloadType: opts.payloadType,
          payload: data.toString('base64'),
          signatures: [{ keyid: `${opts.key}:v${signed.keyVersion}`, sig: signed.raw.toString('base64') }],
        };
        const out = opts.out ?? `${file}.dsse.json`;
        await writePublic(out, Buffer.from(`${JSON.stringify(envelope, null, 2)}\n`));
        emit(
          ctx,
          { envelopeFile: out, key: opts.key, keyVersion: signed.keyVersion, payloadType: opts.payloadType },
          () => `wrote ${out} (DSSE, key ${opts.key} v${signed.keyVersion})`,
        );
        return;
      }
      const signed = await signBytes(ctx.client, data, opts);
      const out = opts.out ?? `${file}.sig`;
      await writePublic(out, signed.raw);
      emit(
        ctx,
        { signatureFile: out, key: opts.key, keyVersion: signed.keyVersion },
        () => `wrote ${out} (key ${opts.key} v${signed.keyVersion})`,
      );
    });

  program
    .command('verify <file>')
    .description(
      'check a detached signature (--sig) or a DSSE envelope (--dsse): against the server (--key), or offline (--public-key)',
    )
    .option('--sig <file>', 'the signature file (raw, as hush sign or openssl writes it)')
    .option(
      '--dsse',
      'FILE is a DSSE envelope: check its signatures over the PAE of payload type and payload',
    )
    .option('--payload-out <file>', 'with --dsse: write the verified payload here')
    .option('--key <name>', 'transit key name: checked by the server')
    .option('--public-key <file>', 'a PEM or JWK public key file: checked offline')
    .option('--cert <file>', "a signer certificate (PEM): checked against --trust STORE's roots and CRLs")
    .option('--trust <store>', 'with --cert: the server-held trust store to check the certificate against')
    .option('--hash <alg>', 'sha2-256 (default), sha2-384 or sha2-512')
    .option('--signature-algorithm <alg>', "RSA: pss or pkcs1v15 (default: the key's scheme; pss offline)")
    .action(async (file: string, opts: VerifyFlags, cmd: Command) => {
      // Separate flags rather than one that is "a file if one exists by that name": a deploy gate runs in a checkout
      // the artefact's author controls, where a file named like the key would swap in the author's own public key.
      const modes = [opts.key, opts.publicKey, opts.cert].filter((m) => m !== undefined).length;
      if (modes !== 1 || (opts.cert === undefined) !== (opts.trust === undefined))
        throw hushError('VERIFY_NEEDS_KEY_OR_PUBLIC_KEY');
      if ((opts.sig === undefined) === (opts.dsse !== true)) throw hushError('VERIFY_NEEDS_SIG_OR_DSSE');
      const raw = await readArtefact(file, opts.dsse ? 'envelope' : 'file');
      const json = (cmd.optsWithGlobals() as { json?: boolean }).json === true;
      const keyLabel = opts.key ?? opts.publicKey ?? opts.cert ?? '';
      // What is checked: FILE against its detached signature, or the envelope's PAE against each of its signatures.
      const dsse = opts.dsse ? parseDsseEnvelope(raw.toString('utf8'), file) : undefined;
      const message = dsse ? pae(dsse.envelope.payloadType, dsse.payload) : raw;
      const sigs = dsse
        ? dsse.signatures.map((s) => s.sig)
        : [await readArtefact(opts.sig ?? '', 'signature file')];
      let keyVersion: number | undefined;
      let valid = false;
      let signer: { subject: string; chain: string[] } | undefined;
      if (opts.cert !== undefined && opts.trust !== undefined) {
        const ctx = remoteContext(cmd);
        const what = { file, sig: opts.sig ?? `${file} (DSSE)` };
        for (const sig of sigs) {
          const input = { store: opts.trust, certFile: opts.cert, data: message, signature: sig, what };
          try {
            signer = await verifyWithCertificate(ctx.client, { ...input, ...signingFlags(opts) });
            break;
          } catch (err) {
            if (sig === sigs[sigs.length - 1]) throw err;
          }
        }
        valid = signer !== undefined;
      } else if (opts.publicKey !== undefined) {
        const prepared = preparePublicKey(
          publicKeyFrom(await readArtefact(opts.publicKey, 'public key'), opts.publicKey),
        );
        if (!prepared) throw hushError('NOT_ED25519_ECDSA_RSA_PUBLIC', { key: opts.publicKey });
        const options = { hash: parseHash(opts.hash), rsaScheme: scheme(opts.signatureAlgorithm) };
        valid = sigs.some((sig) => verifyBytes(prepared, message, sig, options));
      } else {
        const ctx = remoteContext(cmd);
        for (const sig of sigs) {
          keyVersion = await verifyRemote(ctx.client, keyLabel, message, sig, { ...opts, key: keyLabel });
          if (keyVersion !== undefined) break;
        }
        valid = keyVersion !== undefined;
      }
      if (!valid)
        throw hushError('SIGNATURE_NOT_VERIFY', { sig: opts.sig ?? `${file} (DSSE)`, file, key: keyLabel });
      if (dsse && opts.payloadOut) await writePublic(opts.payloadOut, dsse.payload);
      const result = {
        valid,
        offline: opts.publicKey !== undefined,
        ...(keyVersion !== undefined ? { keyVersion } : {}),
        ...(dsse ? { payloadType: dsse.envelope.payloadType } : {}),
        ...(signer ? { signer: signer.subject, chain: signer.chain } : {}),
      };
      emit({ json }, result, () =>
        dsse
          ? `valid DSSE envelope ${file} (payloadType ${dsse.envelope.payloadType})`
          : `valid signature of ${file}`,
      );
    });
}
