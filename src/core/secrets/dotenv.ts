/**
 * A .env parser and writer (pure, strings in and out). Supports comments, `export ` prefixes, single quotes
 * (literal), double quotes (escapes \n \r \t \" \\ \$) and multiline quoted values. Bad lines are reported with their
 * numbers and skipped, so one typo does not lose the rest of an import.
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
      errors.push({ line: lineNo, message: `line ${lineNo}: expected KEY=value (${describeBadLine(line)})` });
      continue;
    }
    const key = match[1] as string;
    const rest = (match[2] ?? '').trimStart();
    const quote = rest[0];
    if (quote !== '"' && quote !== "'") {
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
        message: `line ${lineNo}: ${key} opens a ${quote === '"' ? 'double' : 'single'}-quoted value that is never closed; add the closing ${quote}`,
      });
      continue;
    }
    i += consumed;
    const trailing = body.slice(close + 1).trim();
    if (trailing !== '' && !trailing.startsWith('#')) {
      errors.push({
        line: lineNo,
        message: `line ${lineNo}: ${key} has text after its closing quote; remove it or start it with #`,
      });
      continue;
    }
    const raw = body.slice(0, close);
    entries.push({ key, value: quote === '"' ? unescapeDouble(raw) : raw, line: lineNo });
  }
  return { entries, errors };
}

/** Write entries as .env text, quoting and escaping only where needed so that {@link parseDotenv} reads them back. */
export function formatDotenv(entries: readonly { readonly key: string; readonly value: string }[]): string {
  return entries.map(({ key, value }) => `${key}=${quoteIfNeeded(value)}\n`).join('');
}

/** True when `key` is usable as a .env variable name. */
export function isDotenvKey(key: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key);
}

function quoteIfNeeded(value: string): string {
  if (PLAIN_VALUE.test(value)) return value;
  const escaped = value.replace(/[\\"$\n\r\t]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\${c}`;
  });
  return `"${escaped}"`;
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
