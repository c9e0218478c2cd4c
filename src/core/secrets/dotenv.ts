import { hushError } from '../errors/index.js';

/**
 * A .env parser and two writers (pure, strings in and out). The parser supports comments, `export ` prefixes, single
 * quotes (literal, and shell-style `'it'\''s'` concatenation), backticks (literal), double quotes (escapes \n \r \t
 * \" \\ \$) and multiline quoted values. Bad lines are reported with their numbers and skipped, so one typo does not
 * lose the rest of an import. The writers quote for the parser that will really read the file: {@link formatShellEnv}
 * for `set -a; . ./file` (POSIX shell), {@link formatDotenv} for the `dotenv` npm package's rules.
 */

/** One parsed `KEY=value`, with the 1-based line it started on. */
export interface DotenvEntry {
  readonly key: string;
  readonly value: string;
  readonly line: number;
}

/** A per-line problem found while parsing. */
export interface LineError {
  readonly line: number;
  readonly message: string;
}

/** The outcome of parsing: good entries and per-line errors (partial failure is normal for imports). */
export interface DotenvParseResult {
  readonly entries: DotenvEntry[];
  readonly errors: LineError[];
}

const ASSIGNMENT = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s?(.*)$/s;
const PLAIN_VALUE = /^[A-Za-z0-9_./:@+,=-]*$/;
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\', $: '$' };

/**
 * Parse .env text.
 *
 * @example
 * parseDotenv('export A=1\nB="two\\nlines" # note').entries; // [{key:'A',value:'1',line:1},{key:'B',value:'two\nlines',line:2}]
 */
export function parseDotenv(text: string): DotenvParseResult {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const entries: DotenvEntry[] = [];
  const errors: LineError[] = [];
  let i = 0;
  while (i < lines.length) {
    const lineNo = i + 1;
    const line = (lines[i] ?? '').trimStart();
    i += 1;
    if (line === '' || line.startsWith('#')) continue;
    const match = ASSIGNMENT.exec(line);
    if (!match) {
      errors.push({ line: lineNo, message: `expected KEY=value (${describeBadLine(line)})` });
      continue;
    }
    const key = match[1] as string;
    const rest = (match[2] ?? '').trimStart();
    const quote = rest[0];
    if (quote === "'") {
      const read = readSingleQuoted(rest, lines, i);
      if (read.error !== undefined) {
        errors.push({ line: lineNo, message: `${key} ${read.error}` });
        continue;
      }
      i = read.next;
      entries.push({ key, value: read.value, line: lineNo });
      continue;
    }
    if (quote !== '"' && quote !== '`') {
      entries.push({ key, value: stripInlineComment(rest), line: lineNo });
      continue;
    }
    // A quoted value may continue over the following lines until its closing quote.
    let body = rest.slice(1);
    let consumed = 0;
    let close = findClose(body, quote);
    while (close < 0 && i + consumed < lines.length) {
      body += `\n${lines[i + consumed] ?? ''}`;
      consumed += 1;
      close = findClose(body, quote);
    }
    if (close < 0) {
      errors.push({
        line: lineNo,
        message: `${key} opens a ${quote === '"' ? 'double-quoted' : 'backtick-quoted'} value that is never closed; add the closing ${quote}`,
      });
      continue;
    }
    i += consumed;
    const trailing = body.slice(close + 1).trim();
    if (trailing !== '' && !trailing.startsWith('#')) {
      errors.push({
        line: lineNo,
        message: `${key} has text after its closing quote; remove it or start it with #`,
      });
      continue;
    }
    const raw = body.slice(0, close);
    entries.push({ key, value: quote === '"' ? unescapeDouble(raw) : raw, line: lineNo });
  }
  return { entries, errors };
}

/** A shell-style single-quoted value from `rest` (starting at its quote), reading on over `lines` from `next`. */
function readSingleQuoted(
  rest: string,
  lines: readonly string[],
  next: number,
): { value: string; next: number; error?: string } {
  let body = rest.slice(1);
  let value = '';
  for (;;) {
    let close = body.indexOf("'");
    while (close < 0 && next < lines.length) {
      body += `\n${lines[next] ?? ''}`;
      next += 1;
      close = body.indexOf("'");
    }
    if (close < 0)
      return { value, next, error: "opens a single-quoted value that is never closed; add the closing '" };
    value += body.slice(0, close);
    const after = body.slice(close + 1);
    // `'\''` ends the quote, adds a literal ' and opens another: how a shell writes a quote inside single quotes.
    if (after.startsWith("\\''")) {
      value += "'";
      body = after.slice(3);
      continue;
    }
    const trailing = after.trim();
    if (trailing !== '' && !trailing.startsWith('#'))
      return { value, next, error: 'has text after its closing quote; remove it or start it with #' };
    return { value, next };
  }
}

function refuseNul(key: string, value: string, format: string): void {
  if (value.includes('\0')) throw hushError('SECRET_HOLDS_NUL_BYTE_WHICH', { key, format });
}

/**
 * Write entries for a POSIX shell (`set -a; . ./file`): every value that is not plainly safe goes in single quotes,
 * where the shell expands nothing (no `$`, backticks or `\`), a `'` written as `'\''`; newlines stay literal. Keys must
 * be shell names ({@link isShellName}); a NUL is refused (HUSH_E_INVALID_INPUT naming the secret, never the value).
 *
 * @example
 * formatShellEnv([{ key: 'A', value: "it's $HOME" }]); // "A='it'\\''s $HOME'\n"
 */
export function formatShellEnv(entries: readonly { readonly key: string; readonly value: string }[]): string {
  return entries
    .map(({ key, value }) => {
      refuseNul(key, value, 'env');
      if (value !== '' && PLAIN_VALUE.test(value)) return `${key}=${value}\n`;
      return `${key}='${value.replace(/'/g, "'\\''")}'\n`;
    })
    .join('');
}

/**
 * Write entries by the rules of the `dotenv` npm package's parser (and readable by {@link parseDotenv}): single
 * quotes or backticks are literal there, double quotes expand only \n and \r, and there is no escape for a quote
 * character. A value is written in the first quoting that carries it exactly; one that none carries (it holds all
 * three quote characters, or a carriage return or final backslash with quotes) is refused naming the secret.
 */
export function formatDotenv(entries: readonly { readonly key: string; readonly value: string }[]): string {
  return entries.map(({ key, value }) => `${key}=${dotenvQuote(key, value)}\n`).join('');
}

function dotenvQuote(key: string, value: string): string {
  refuseNul(key, value, 'dotenv');
  if (value !== '' && PLAIN_VALUE.test(value)) return value;
  // dotenv turns a raw \r into \n, and a final backslash reads as escaping the closing quote.
  if (!value.includes('\r') && !value.endsWith('\\')) {
    if (!value.includes("'")) return `'${value}'`;
    if (!value.includes('`')) return `\`${value}\``;
  }
  if (!value.includes('"') && !value.includes('\\'))
    return `"${value.replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
  throw hushError('SECRET_CANNOT_WRITTEN_DOTENV_FORMAT', { key });
}

/** True when `key` is usable as a .env variable name. */
export function isDotenvKey(key: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key);
}

/** True when `key` is a POSIX shell variable name (what `formatShellEnv` writes). */
export function isShellName(key: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key);
}

function findClose(body: string, quote: string): number {
  for (let j = 0; j < body.length; j += 1) {
    if (quote === '"' && body[j] === '\\') j += 1;
    else if (body[j] === quote) return j;
  }
  return -1;
}

function unescapeDouble(raw: string): string {
  return raw.replace(/\\(.)/gs, (whole, c: string) => ESCAPES[c] ?? whole);
}

function stripInlineComment(value: string): string {
  const hash = value.search(/\s#/);
  return (hash >= 0 ? value.slice(0, hash) : value).trim();
}

/** Describe a bad line without echoing it: it may hold a secret. */
function describeBadLine(line: string): string {
  if (!line.includes('=')) return 'no "=" found';
  return 'the name before "=" must start with a letter or _ and use letters, digits, _, . or -';
}
