import { hushError } from '../errors/index.js';
import type { CryptMetadata } from './crypt-metadata.js';
import type { CryptValue } from './crypt-value.js';

/** One value of a file, in document order: its key path and its value (an `ENC[...]` string when encrypted). */
export interface FileLeaf {
  readonly path: readonly string[];
  readonly value: CryptValue;
}

/** A parsed file: its leaves, its raw metadata tree (if any), and a way to write it back with new values. */
export interface ParsedCryptFile {
  readonly leaves: readonly FileLeaf[];
  /** The `sops` block as a nested tree, or undefined when the file has none (it is plaintext). */
  readonly metadata: unknown;
  /** The file with each leaf replaced by `values[i]` (same order) and the metadata block set (or removed). */
  render(values: readonly CryptValue[], metadata: CryptMetadata | undefined): string;
}

/** The file formats `hush crypt` reads and writes. */
export type CryptFormatName = 'yaml' | 'json' | 'dotenv' | 'ini' | 'toml';

/** A format: text in, parsed file out (bytes and strings only; the caller reads and writes the file). */
export interface CryptFormat {
  readonly name: CryptFormatName;
  parse(text: string, file: string): ParsedCryptFile;
}

const CONFLICT_MARKER = /^(<{7}|>{7})( |$)/m;

/**
 * Refuse what no format can hold: a binary file (NUL bytes or invalid UTF-8) and a file left with merge conflict
 * markers (`<<<<<<<`, `>>>>>>>`), naming the line so the user can resolve it first.
 */
export function checkText(bytes: Uint8Array, file: string): string {
  if (bytes.includes(0)) throw hushError('CRYPT_FILE_BINARY', { file });
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw hushError('CRYPT_FILE_BINARY', { file });
  }
  const m = CONFLICT_MARKER.exec(text);
  if (m) {
    const line = text.slice(0, m.index).split('\n').length;
    throw hushError('CRYPT_FILE_CONFLICT', { file, line });
  }
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/** A parse failure at a line, as one coded error naming the file. */
export function malformed(file: string, line: number, expected: string): never {
  throw hushError('CRYPT_FILE_MALFORMED', { file, line, expected });
}
