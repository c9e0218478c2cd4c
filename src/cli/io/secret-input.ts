import { readFile } from 'node:fs/promises';
import { HushError, isHushError } from '../../core/errors/hush-error.js';
import { hushError } from '../../core/errors/index.js';
import { parseStrictJson } from '../../core/json/strict-json.js';
import { MAX_VALUE_DEPTH } from '../../core/secrets/json-depth.js';
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
    throw hushError('REFUSING_READ_SECRET_VALUE_COMMAND');
  }
  const sources = [args.length > 0, opts.file !== undefined].filter(Boolean).length;
  if (sources > 1) throw hushError('GIVE_VALUE_ONE_WAY_KEY');
  if (bare.length > 1) throw hushError('EXPECTED_ONE_VALUE_FOUND_ARGUMENTS', { length: bare.length });
  if (bare.length === 1) return single(bare[0]!, opts);
  if (args.length > 0) return readPairs(args, opts);
  if (opts.file !== undefined) return single(await readValueFile(opts.file, opts.maxBytes), opts);
  if (opts.stdin.isTTY) {
    throw hushError('PUT_NEEDS_VALUE');
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
    if (Object.hasOwn(fields, key!)) throw hushError('FIELD_GIVEN_TWICE', { key });
    let value = raw!;
    if (value === '-') {
      if (stdinUsed) throw hushError('ONLY_ONE_FIELD_CAN_READ');
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
  // Strict (no repeated keys, bounded nesting), and the error never quotes the text: JSON.parse's message does, and
  // the text is the secret.
  let parsed: unknown;
  try {
    parsed = parseStrictJson(text, '--json-value: the value', MAX_VALUE_DEPTH);
  } catch (err) {
    if (isHushError(err, 'HUSH_E_USAGE')) {
      throw hushError('JSON_VALUE_VALUE_NOT_VALID');
    }
    throw err;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw hushError('JSON_VALUE_EXPECTED_JSON_OBJECT');
  }
  return parsed as Record<string, unknown>;
}

async function readValueFile(path: string, maxBytes: number): Promise<string> {
  try {
    const buf = await readFile(path);
    if (buf.length > maxBytes) {
      throw hushError('PATH_LENGTH_BYTES_LIMIT_MAX', { path, length: buf.length, maxBytes });
    }
    return buf.toString('utf8');
  } catch (err) {
    if (err instanceof HushError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw hushError('CANNOT_READ_FILE_CODE', { file: path, code });
  }
}

function stripOneNewline(text: string): string {
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}
