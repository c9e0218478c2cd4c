import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { hushError } from '../../core/errors/index.js';
import {
  type ByteEncoding,
  type ClassSetting,
  type EcCurve,
  GENERATOR_KINDS,
  type GeneratedSecret,
  type GenerateRequest,
  type GeneratorKind,
  generateSecret,
  type KeyType,
  parseGeneratorKind,
  type SshKeyType,
} from '../../core/generate/index.js';
import { emit } from '../io/output.js';
import { parseVersionNumber } from '../io/parse-options.js';

/** The generator flags as commander parses them (the passphrase file flag is named by the caller). */
export interface GeneratorFlags {
  length?: string;
  lower?: boolean;
  upper?: boolean;
  digits?: boolean;
  symbols?: boolean;
  minLower?: string;
  minUpper?: string;
  minDigits?: string;
  minSymbols?: string;
  exclude?: string;
  excludeAmbiguous?: boolean;
  bytes?: string;
  encoding?: string;
  prefix?: string;
  type?: string;
  bits?: string;
  curve?: string;
  comment?: string;
}

const CLASSES = ['lower', 'upper', 'digits', 'symbols'] as const;
const PASSWORD_FLAGS = ['length', 'excludeAmbiguous', 'exclude', ...CLASSES, ...CLASSES.map(minName)];

/** Which option (commander attribute name) each generator accepts; any other given option is an error. */
function applicable(kind: GeneratorKind, passphraseAttr: string): readonly string[] {
  switch (kind) {
    case 'password':
      return PASSWORD_FLAGS;
    case 'bytes':
      return ['bytes', 'encoding'];
    case 'api-key':
      return ['prefix', 'bytes'];
    case 'uuid':
      return [];
    case 'keypair':
      return ['type', 'bits', 'curve', passphraseAttr];
    case 'ssh-key':
      return ['type', 'bits', 'curve', 'comment', passphraseAttr];
  }
}

/** All generator option attribute names, to find the given ones. */
const ALL = [...PASSWORD_FLAGS, 'bytes', 'encoding', 'prefix', 'type', 'bits', 'curve', 'comment'];

function minName(c: (typeof CLASSES)[number]): string {
  return `min${c[0]!.toUpperCase()}${c.slice(1)}`;
}

function flagName(attr: string): string {
  return `--${attr.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`)}`;
}

/**
 * Add the generator options to a command. `passphraseFlag` is the long flag that names a passphrase file for
 * key pairs (`--passphrase-file` for `generate`; `put` already uses that for the rsa seal).
 */
export function addGeneratorOptions(cmd: Command, passphraseFlag: string): Command {
  cmd
    .option('--length <n>', 'password: length (default 24, at most 4096)')
    .option('--exclude <chars>', 'password: characters never to use')
    .option('--exclude-ambiguous', 'password: drop look-alike characters 0Oo1lI|');
  for (const c of CLASSES) {
    cmd.option(`--no-${c}`, `password: no ${c}`);
    cmd.option(`--min-${c} <n>`, `password: at least n ${c} (default 1; 0 = allowed, not required)`);
  }
  return cmd
    .option('--bytes <n>', 'bytes/api-key: random bytes (default 32)')
    .option('--encoding <enc>', 'bytes: hex (default), base64, base64url or base62')
    .option('--prefix <prefix>', 'api-key: the prefix before "_" (required)')
    .option(
      '--type <type>',
      'keypair: ed25519 (default), ec or rsa; ssh-key: ed25519 (default), ecdsa or rsa',
    )
    .option('--bits <n>', 'rsa: modulus bits, 2048..8192 (default 3072)')
    .option('--curve <curve>', 'ec/ecdsa: P-256 (default), P-384 or P-521')
    .option('--comment <text>', 'ssh-key: the comment at the end of the public key')
    .option(
      `${passphraseFlag} <file>`,
      'keypair/ssh-key: encrypt the private key with the passphrase in this file',
    );
}

function classSetting(flags: GeneratorFlags, c: (typeof CLASSES)[number]): ClassSetting {
  const min = flags[minName(c) as keyof GeneratorFlags] as string | undefined;
  if (flags[c] === false) {
    if (min !== undefined) throw hushError('GENERATOR_NO_AND_MIN_CONFLICT', { c });
    return false;
  }
  return min === undefined ? true : parseVersionNumber(min, `--min-${c}`, true);
}

function readPassphrase(file: string, flag: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw hushError('FLAG_CANNOT_READ_FILE_CODE', { flag, file, code });
  }
  return text.replace(/\r?\n$/, '');
}

function attrOf(flag: string): string {
  return flag.slice(2).replace(/-([a-z])/g, (_, ch: string) => ch.toUpperCase());
}

/** The generator options given on the command line, as flags (for "--x needs --generate" errors). */
export function givenGeneratorFlags(cmd: Command, passphraseFlag: string): string[] {
  return [...ALL, attrOf(passphraseFlag)].filter((a) => cmd.getOptionValueSource(a) === 'cli').map(flagName);
}

/** Turn a kind name and the parsed flags into a generator request; options that do not apply are usage errors. */
export function generatorRequest(kindName: string, cmd: Command, passphraseFlag: string): GenerateRequest {
  const kind = parseGeneratorKind(kindName);
  const flags = cmd.opts<GeneratorFlags & Record<string, unknown>>();
  const passAttr = attrOf(passphraseFlag);
  const allowed = applicable(kind, passAttr);
  for (const attr of [...ALL, passAttr]) {
    if (cmd.getOptionValueSource(attr) === 'cli' && !allowed.includes(attr))
      throw hushError('GENERATOR_OPTION_NOT_APPLICABLE', { attr: flagName(attr), kind });
  }
  const num = (v: string | undefined, flag: string) =>
    v === undefined ? undefined : parseVersionNumber(v, flag);
  const passFile = flags[passAttr] as string | undefined;
  const passphrase = passFile === undefined ? undefined : readPassphrase(passFile, passphraseFlag);
  const bits = num(flags.bits, '--bits');
  const common = {
    ...(flags.type !== undefined ? { type: flags.type } : {}),
    ...(bits !== undefined ? { bits } : {}),
    ...(flags.curve !== undefined ? { curve: flags.curve as EcCurve } : {}),
    ...(passphrase !== undefined ? { passphrase } : {}),
  };
  const bytes = num(flags.bytes, '--bytes');
  switch (kind) {
    case 'password': {
      const length = num(flags.length, '--length');
      const options = {
        ...(length !== undefined ? { length } : {}),
        ...(flags.exclude !== undefined ? { exclude: flags.exclude } : {}),
        excludeAmbiguous: flags.excludeAmbiguous === true,
        lower: classSetting(flags, 'lower'),
        upper: classSetting(flags, 'upper'),
        digits: classSetting(flags, 'digits'),
        symbols: classSetting(flags, 'symbols'),
      };
      return { kind, options };
    }
    case 'bytes':
      return {
        kind,
        options: {
          ...(bytes !== undefined ? { bytes } : {}),
          ...(flags.encoding !== undefined ? { encoding: flags.encoding as ByteEncoding } : {}),
        },
      };
    case 'api-key':
      if (flags.prefix === undefined) throw hushError('API_KEY_NEEDS_PREFIX');
      return { kind, options: { prefix: flags.prefix, ...(bytes !== undefined ? { bytes } : {}) } };
    case 'uuid':
      return { kind };
    case 'keypair':
      return { kind, options: { ...common, type: (flags.type ?? 'ed25519') as KeyType } };
    case 'ssh-key':
      return {
        kind,
        options: {
          ...common,
          type: (flags.type ?? 'ed25519') as SshKeyType,
          ...(flags.comment !== undefined ? { comment: flags.comment } : {}),
        },
      };
  }
}

/** The raw text of a generated secret: the string, or the private key followed by the public key. */
export function generatedText(value: GeneratedSecret): string {
  if (typeof value === 'string') return value;
  const priv = value.privateKey.endsWith('\n') ? value.privateKey : `${value.privateKey}\n`;
  return `${priv}${value.publicKey}`;
}

/** `hush generate KIND [options]`: print a freshly generated secret (raw: output is the point). */
export function registerGenerate(program: Command): void {
  addGeneratorOptions(
    program
      .command('generate <kind>')
      .description(`generate a secret with the CSPRNG and print it; kind: ${GENERATOR_KINDS.join(', ')}`),
    '--passphrase-file',
  )
    .option('--json', 'machine-readable JSON output')
    .action((kind: string, _opts: unknown, cmd: Command) => {
      const request = generatorRequest(kind, cmd, '--passphrase-file');
      const value = generateSecret(request);
      const json = cmd.optsWithGlobals<{ json?: boolean }>().json === true;
      if (process.stdout.isTTY === true)
        process.stderr.write(
          'hush: warning: this is a secret and it is not stored; pipe it, or use hush put ADDRESS --generate\n',
        );
      emit({ json }, { kind: request.kind, value }, () => generatedText(value));
    });
}
