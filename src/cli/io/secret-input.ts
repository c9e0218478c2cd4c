import { readFile } from 'node:fs/promises';
import { HushError } from '../../core/errors/hush-error.js';
import { readStream } from './read-stream.js';

/** Where `hush put` may take a value from. */
export interface SecretInputOptions {
  readonly file?: string;
  readonly allowArgv?: boolean;
  /** Parse the single value as a JSON object. */
  readonly jsonValue?: boolean;
  readonly maxBytes: number;
  readonly stdin: NodeJS.ReadStream;
}

/** A value for `put`: a string, or an object of fields (from KEY=VALUE pairs or a JSON value). */
export type SecretInput = string | Record<string, unknown>;

const PAIR = /^([A-Za-z_][A-Za-z0-9_.-]*)=([\s\S]*)$/;

/**
 * Resolve the value of `hush put ADDRESS [KEY=VALUE...]`. A bare value in argv is refused unless --allow-argv,
 * because argv lands in shell history and in `ps` output. `KEY=@file` reads a file and `KEY=-` reads stdin.
 */
export async function readSecretInput(
  args: readonly string[],
  opts: SecretInputOptions,
): Promise<SecretInput> {
  const bare = args.filter((a) => !PAIR.test(a));
  if (bare.length > 0 && !opts.allowArgv) {
    throw new HushError(
      'HUSH_E_USAGE',
      'refusing to read a secret value from the command line (it would land in shell history); pipe it on stdin, use --file FILE, or pass --allow-argv',
    );
  }
  const sources = [args.length > 0, opts.file !== undefined].filter(Boolean).length;
  if (sources > 1)
    throw new HushError(
      'HUSH_E_USAGE',
      'give the value one way: KEY=VALUE pairs, a value, or --file, not several',
    );
  if (bare.length > 1)
    throw new HushError('HUSH_E_USAGE', `expected one value, found ${bare.length} arguments`);
  if (bare.length === 1) return single(bare[0]!, opts);
  if (args.length > 0) return readPairs(args, opts);
  if (opts.file !== undefined) return single(await readValueFile(opts.file, opts.maxBytes), opts);
  if (opts.stdin.isTTY) {
    throw new HushError(
      'HUSH_E_USAGE',
      'no value given; pipe it on stdin (`... | hush put ADDR`), use --file FILE, or KEY=VALUE pairs',
    );
  }
  return single(stripOneNewline((await readStream(opts.stdin, opts.maxBytes)).toString('utf8')), opts);
}

async function readPairs(
  args: readonly string[],
  opts: SecretInputOptions,
): Promise<Record<string, unknown>> {
  const fields: Record<string, unknown> = {};
  let stdinUsed = false;
  for (const arg of args) {
    const [, key, raw] = PAIR.exec(arg)!;
    if (Object.hasOwn(fields, key!)) throw new HushError('HUSH_E_USAGE', `field ${key} is given twice`);
    let value = raw!;
    if (value === '-') {
      if (stdinUsed) throw new HushError('HUSH_E_USAGE', 'only one field can read standard input (KEY=-)');
      stdinUsed = true;
      value = stripOneNewline((await readStream(opts.stdin, opts.maxBytes)).toString('utf8'));
    } else if (value.startsWith('@')) {
      value = await readValueFile(value.slice(1), opts.maxBytes);
    }
    fields[key!] = value;
  }
  return fields;
}

function single(text: string, opts: SecretInputOptions): SecretInput {
  if (!opts.jsonValue) return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text around the error, i.e. part of the secret: say where, never what.
    throw new HushError(
      'HUSH_E_INVALID_INPUT',
      `--json-value: the value is not valid JSON (${text.length} characters); check its syntax with a JSON tool`,
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new HushError(
      'HUSH_E_INVALID_INPUT',
      '--json-value: expected a JSON object like {"user":"app","password":"..."}',
    );
  }
  return parsed as Record<string, unknown>;
}

async function readValueFile(path: string, maxBytes: number): Promise<string> {
  try {
    const buf = await readFile(path);
    if (buf.length > maxBytes) {
      throw new HushError('HUSH_E_TOO_LARGE', `${path} is ${buf.length} bytes; the limit is ${maxBytes}`);
    }
    return buf.toString('utf8');
  } catch (err) {
    if (err instanceof HushError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new HushError(
      'HUSH_E_INVALID_INPUT',
      `cannot read ${path} (${code}); check the path and its permissions`,
    );
  }
}

function stripOneNewline(text: string): string {
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}
