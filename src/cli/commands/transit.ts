import type { Command } from 'commander';
import { hushError } from '../../core/errors/index.js';
import { emit } from '../io/output.js';
import { remoteContext } from '../remote/request.js';
import { bindingOptions, intOption, readInput, readVersioned } from './transit-input.js';
import { registerTransitKeys } from './transit-keys.js';

interface BindingOpts {
  in: string;
  context?: string;
  associatedDataFile?: string;
}

interface SigningOpts {
  hash?: string;
  prehashed?: boolean;
  signatureAlgorithm?: string;
}

function withBinding(cmd: Command, inputHelp: string): Command {
  return cmd
    .option('--in <file>', `${inputHelp} (- for stdin)`, '-')
    .option('--context <text>', 'derivation context (derived keys)')
    .option('--associated-data-file <file>', 'associated data, authenticated but not encrypted');
}

function withSigning(cmd: Command): Command {
  return cmd
    .option('--in <file>', 'the message, or its digest with --prehashed (- for stdin)', '-')
    .option('--hash <alg>', 'sha2-256 (default), sha2-384 or sha2-512')
    .option('--prehashed', 'the input is already a digest (RSA keys)')
    .option('--signature-algorithm <alg>', "RSA: pss or pkcs1v15 (default: the key's scheme)");
}

function signingFields(opts: SigningOpts) {
  return {
    ...(opts.hash ? { hashAlgorithm: opts.hash } : {}),
    ...(opts.prehashed ? { prehashed: true } : {}),
    ...(opts.signatureAlgorithm ? { signatureAlgorithm: opts.signatureAlgorithm } : {}),
  };
}

/** A verification that failed is an error exit, so scripts can gate on it. */
function requireValid(valid: boolean, what: string): void {
  if (!valid) throw hushError('NOT_MATCH_INPUT', { what });
}

/** `hush transit ...`: encryption, signing and HMAC with keys held by a Hush server (HUSH_ADDR, HUSH_TOKEN). */
export function registerTransit(program: Command): void {
  const transit = program.command('transit').description('encrypt, sign and HMAC with server-held keys');
  registerTransitKeys(transit);

  withBinding(
    transit.command('encrypt <key>').description('encrypt bytes; prints hush:v<N>:...'),
    'plaintext',
  )
    .option('--key-version <n>', 'encrypt with an older allowed version')
    .action(async (key: string, opts: BindingOpts & { keyVersion?: string }, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const keyVersion = intOption(opts.keyVersion, '--key-version');
      const res = await ctx.client.transit.encrypt(key, {
        plaintext: (await readInput(opts.in, 'plaintext')).toString('base64'),
        ...(await bindingOptions(opts)),
        ...(keyVersion !== undefined ? { keyVersion } : {}),
      });
      emit(ctx, res, () => res.ciphertext);
    });

  withBinding(
    transit.command('decrypt <key>').description('decrypt hush:v<N>:...; writes the plaintext bytes'),
    'ciphertext',
  ).action(async (key: string, opts: BindingOpts, cmd: Command) => {
    const ctx = remoteContext(cmd);
    const res = await ctx.client.transit.decrypt(key, {
      ciphertext: await readVersioned(opts.in, 'ciphertext'),
      ...(await bindingOptions(opts)),
    });
    if (ctx.json) emit(ctx, res, () => '');
    else process.stdout.write(Buffer.from(res.plaintext, 'base64'));
  });

  withBinding(
    transit.command('rewrap <key>').description('re-encrypt a ciphertext under the latest version'),
    'ciphertext',
  ).action(async (key: string, opts: BindingOpts, cmd: Command) => {
    const ctx = remoteContext(cmd);
    const res = await ctx.client.transit.rewrap(key, {
      ciphertext: await readVersioned(opts.in, 'ciphertext'),
      ...(await bindingOptions(opts)),
    });
    emit(ctx, res, () => res.ciphertext);
  });

  transit
    .command('datakey <key>')
    .description('a new data key: its wrapped form, and (unless --wrapped-only) its base64 plaintext')
    .option('--wrapped-only', 'return only the wrapped key')
    .option('--bits <n>', '128, 256 (default) or 512')
    .option('--context <text>', 'derivation context (derived keys)')
    .action(
      async (key: string, opts: { wrappedOnly?: boolean; bits?: string; context?: string }, cmd: Command) => {
        const ctx = remoteContext(cmd);
        const bits = intOption(opts.bits, '--bits');
        const res = await ctx.client.transit.datakey(key, {
          ...(opts.wrappedOnly ? { wrappedOnly: true } : {}),
          ...(bits !== undefined ? { bits } : {}),
          ...(await bindingOptions(opts)),
        });
        emit(ctx, res, () => [res.ciphertext, ...(res.plaintext ? [res.plaintext] : [])].join('\n'));
      },
    );

  withSigning(transit.command('sign <key>').description('sign the input; prints hush:v<N>:...'))
    .option('--key-version <n>', 'sign with an older allowed version')
    .action(async (key: string, opts: SigningOpts & { in: string; keyVersion?: string }, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const keyVersion = intOption(opts.keyVersion, '--key-version');
      const res = await ctx.client.transit.sign(key, {
        input: (await readInput(opts.in, 'input')).toString('base64'),
        ...signingFields(opts),
        ...(keyVersion !== undefined ? { keyVersion } : {}),
      });
      emit(ctx, res, () => res.signature);
    });

  withSigning(
    transit
      .command('verify <key>')
      .description('verify a hush:v<N>: signature of the input (exit 2 when invalid)'),
  )
    .requiredOption('--signature-file <file>', 'file holding the hush:v<N>:... signature')
    .action(async (key: string, opts: SigningOpts & { in: string; signatureFile: string }, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const res = await ctx.client.transit.verify(key, {
        input: (await readInput(opts.in, 'input')).toString('base64'),
        signature: await readVersioned(opts.signatureFile, 'signature'),
        ...signingFields(opts),
      });
      emit(ctx, res, () => 'valid');
      requireValid(res.valid, 'signature');
    });

  transit
    .command('hmac <key>')
    .description('HMAC the input; prints hush:v<N>:...; with --verify-file, check an HMAC instead')
    .option('--in <file>', 'the input (- for stdin)', '-')
    .option('--hash <alg>', 'sha2-256 (default), sha2-384 or sha2-512')
    .option(
      '--verify-file <file>',
      'file holding a hush:v<N>:... HMAC to check (exit 2 when it does not match)',
    )
    .action(async (key: string, opts: { in: string; hash?: string; verifyFile?: string }, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const input = (await readInput(opts.in, 'input')).toString('base64');
      const hash = opts.hash ? { hashAlgorithm: opts.hash } : {};
      if (opts.verifyFile) {
        const res = await ctx.client.transit.verifyHmac(key, {
          input,
          hmac: await readVersioned(opts.verifyFile, 'HMAC'),
          ...hash,
        });
        emit(ctx, res, () => 'valid');
        requireValid(res.valid, 'HMAC');
        return;
      }
      const res = await ctx.client.transit.hmac(key, { input, ...hash });
      emit(ctx, res, () => res.hmac);
    });

  transit
    .command('random')
    .description('random bytes from the server CSPRNG')
    .option('--bytes <n>', 'how many (1-1024, default 32)')
    .option('--format <f>', 'base64 (default) or hex')
    .action(async (opts: { bytes?: string; format?: string }, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const format = opts.format === 'hex' ? 'hex' : 'base64';
      const res = await ctx.client.transit.random(intOption(opts.bytes, '--bytes') ?? 32, format);
      emit(ctx, res, () => res.random);
    });

  transit
    .command('hash')
    .description('SHA-2 digest of the input')
    .option('--in <file>', 'the input (- for stdin)', '-')
    .option('--algorithm <alg>', 'sha2-256 (default), sha2-384 or sha2-512')
    .option('--format <f>', 'hex (default) or base64')
    .action(async (opts: { in: string; algorithm?: string; format?: string }, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const input = (await readInput(opts.in, 'input')).toString('base64');
      const res = await ctx.client.transit.hash(
        input,
        opts.algorithm,
        opts.format === 'base64' ? 'base64' : 'hex',
      );
      emit(ctx, res, () => res.sum);
    });
}
