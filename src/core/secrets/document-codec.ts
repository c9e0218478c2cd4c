import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { isHushError } from '../errors/hush-error.js';
import { checkJsonStructure, checkLossless } from '../json/strict-json.js';
import { formatDotenv, formatShellEnv, isDotenvKey, isShellName, parseDotenv } from './dotenv.js';
import { assertJsonDepth, MAX_VALUE_DEPTH } from './json-depth.js';
import { loneSurrogateAt, loneSurrogateError } from './lone-surrogate.js';
import type { SecretValue } from './value-codec.js';

/**
 * The import/export formats: one top-level key = one secret. `env` is written for a POSIX shell to source, `dotenv`
 * for the dotenv package's parser; both are read by the same .env parser.
 */
export type DocumentFormat = 'env' | 'dotenv' | 'json' | 'yaml';

/** One key read from a document. */
export interface DocumentEntry {
  readonly key: string;
  readonly value: SecretValue;
  /** 1-based line (dotenv only). */
  readonly line?: number;
  /** What messages call it when it is written (the secret's path); default the key. */
  readonly source?: string;
}

/** A problem with one line or key of a document. */
export interface DocumentError {
  readonly line?: number;
  readonly key?: string;
  readonly message: string;
}

/** Parsed entries and per-line/per-key errors. */
export interface DocumentParseResult {
  readonly entries: DocumentEntry[];
  readonly errors: DocumentError[];
}

/**
 * Parse a secrets document. JSON and YAML take a top-level mapping whose values are strings or objects (numbers
 * and booleans become strings, so `port: 5432` imports as "5432"); anything else is a per-key error.
 *
 * @example
 * parseDocument('json', '{"DB_URL":"postgres://x","creds":{"user":"u"}}').entries.length; // 2
 */
export function parseDocument(format: DocumentFormat, text: string): DocumentParseResult {
  if (format === 'dotenv' || format === 'env') return parseDotenv(text);
  let root: unknown;
  try {
    root = format === 'json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    // JSON.parse messages can quote the input; keep only the position, never the content.
    const where = err instanceof Error ? /line (\d+)/.exec(err.message) : null;
    return {
      entries: [],
      errors: [
        {
          ...(where ? { line: Number(where[1]) } : {}),
          message: `the ${format.toUpperCase()} document does not parse${where ? ` (near line ${where[1]})` : ''}; check its syntax`,
        },
      ],
    };
  }
  if (format === 'json') {
    // As strict as request bodies (YAML refuses repeated keys itself): a key given twice is an error, not last-wins.
    try {
      checkJsonStructure(text, 'the JSON document');
      checkLossless(root, 'the JSON document');
    } catch (err) {
      if (!isHushError(err)) throw err;
      return { entries: [], errors: [{ message: err.message }] };
    }
  }
  if (typeof root !== 'object' || root === null || Array.isArray(root)) {
    return {
      entries: [],
      errors: [
        {
          message: `the ${format.toUpperCase()} document must be a mapping of key -> value at the top level`,
        },
      ],
    };
  }
  const entries: DocumentEntry[] = [];
  const errors: DocumentError[] = [];
  for (const [key, value] of Object.entries(root)) {
    if (typeof value === 'string') entries.push({ key, value });
    else if (typeof value === 'number' || typeof value === 'boolean')
      entries.push({ key, value: String(value) });
    else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      entries.push({ key, value: value as SecretValue });
    } else {
      const found = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
      errors.push({ key, message: `${key}: expected a string or an object, found ${found}` });
    }
  }
  return { entries, errors };
}

/** Write entries in a format. For dotenv, object values are written as JSON text; keys must be .env names. */
export function formatDocument(format: DocumentFormat, entries: readonly DocumentEntry[]): string {
  // Values stored before nesting was bounded could overflow the JSON/YAML writers' stack: refuse with a coded error.
  for (const e of entries) {
    assertJsonDepth(e.value, e.key, MAX_VALUE_DEPTH);
    // Values stored before writes refused lone surrogates: every format would write U+FFFD (JSON could escape it, but
    // no importer, ours included, takes it back unchanged), so the export names the secret instead.
    const at = loneSurrogateAt(e.value);
    if (at !== undefined) throw loneSurrogateError(e.source ?? e.key, at, `a ${format} export`);
  }
  if (format === 'dotenv' || format === 'env') {
    const pairs = entries.map((e) => ({
      key: e.key,
      value: typeof e.value === 'string' ? e.value : JSON.stringify(e.value),
    }));
    return format === 'env' ? formatShellEnv(pairs) : formatDotenv(pairs);
  }
  const obj: Record<string, SecretValue> = {};
  for (const e of entries) obj[e.key] = e.value;
  return format === 'json' ? `${JSON.stringify(obj, null, 2)}\n` : stringifyYaml(obj);
}

/** True when `key` can be written in `format` (dotenv names are restricted; JSON/YAML take any key). */
export function isKeyWritable(format: DocumentFormat, key: string): boolean {
  if (format === 'env') return isShellName(key);
  return format !== 'dotenv' || isDotenvKey(key);
}
