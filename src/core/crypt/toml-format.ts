import { parse, TomlDate } from 'smol-toml';
import { type CryptFormat, type FileLeaf, malformed, type ParsedCryptFile } from './crypt-format.js';
import { flattenMetadata, METADATA_KEY, unflattenMetadata } from './crypt-metadata.js';
import { type CryptValue, formatFloat } from './crypt-value.js';
import { lineFile, type OtherLine, type PairLine, splitLines } from './line-format.js';

type Toml = string | number | bigint | boolean | Date | Toml[] | { [k: string]: Toml };

function tryParse(text: string): Record<string, Toml> | undefined {
  try {
    return parse(text) as Record<string, Toml>;
  } catch {
    return undefined;
  }
}

/** The single chain of keys a one-entry table spells (`{a: {"b.c": x}}` -> [a, b.c] and x). */
function chain(tree: Toml, depth: number): { path: string[]; value: Toml } {
  const path: string[] = [];
  let node = tree;
  for (let i = 0; i < depth; i++) {
    const entries = Object.entries(node as Record<string, Toml>);
    const [k, v] = entries[0] ?? [];
    if (k === undefined || v === undefined) break;
    path.push(k);
    node = Array.isArray(v) && i < depth - 1 ? (v[v.length - 1] as Toml) : v;
  }
  return { path, value: node };
}

/** How many dotted segments a TOML key spells (quotes respected). */
function keyDepth(key: string): number {
  let depth = 1;
  let quote: string | undefined;
  for (const ch of key) {
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '.') depth++;
  }
  return depth;
}

/** Index of the first `=` outside quotes (the end of the key). */
function equalsAt(line: string): number {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '=') return i;
  }
  return -1;
}

function scalar(v: Toml, raw: string | undefined): CryptValue | undefined {
  if (typeof v === 'string') return { type: 'str', text: v };
  if (typeof v === 'boolean') return { type: 'bool', text: String(v) };
  if (typeof v === 'bigint') return { type: 'int', text: v.toString() };
  if (typeof v === 'number') {
    const looksFloat =
      raw === undefined ? !Number.isInteger(v) : /^[+-]?(?!0[xob])[\d_]*(\.|[eE]|inf|nan)/.test(raw.trim());
    return looksFloat ? { type: 'float', text: formatFloat(v) } : { type: 'int', text: String(v) };
  }
  if (v instanceof Date)
    return { type: 'datetime', text: v instanceof TomlDate ? v.toISOString() : v.toISOString() };
  return undefined;
}

function leavesOf(v: Toml, path: string[], raw: string | undefined, out: FileLeaf[]): void {
  if (Array.isArray(v)) for (const item of v) leavesOf(item, path, undefined, out);
  else if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
    for (const [k, inner] of Object.entries(v)) leavesOf(inner, [...path, k], undefined, out);
  } else {
    const s = scalar(v, raw);
    if (s) out.push({ path, value: s });
  }
}

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

function writeScalar(v: CryptValue): string {
  switch (v.type) {
    case 'int':
    case 'bool':
    case 'datetime':
      return v.text;
    case 'float':
      return /[.eEn]/.test(v.text) ? v.text : `${v.text}.0`;
    default:
      return JSON.stringify(v.text).replace(/\u007f/g, '\\u007f');
  }
}

/** Write `v` again with its leaves replaced, in the order {@link leavesOf} visits them, on one line. */
function writeValue(v: Toml, next: () => CryptValue): string {
  if (Array.isArray(v)) return `[${v.map((item) => writeValue(item, next)).join(', ')}]`;
  if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
    const parts = Object.entries(v).map(
      ([k, inner]) => `${BARE_KEY.test(k) ? k : JSON.stringify(k)} = ${writeValue(inner, next)}`,
    );
    return parts.length === 0 ? '{}' : `{ ${parts.join(', ')} }`;
  }
  return writeScalar(next());
}

/** Split a value's text from a trailing comment: the shortest prefix before a `#` that is the whole value. */
function splitComment(valueText: string): { raw: string; tail: string } {
  for (let i = valueText.indexOf('#'); i >= 0; i = valueText.indexOf('#', i + 1)) {
    const before = valueText.slice(0, i);
    if (tryParse(`v = ${before}`)) {
      const trimmed = before.replace(/\s+$/, '');
      return { raw: trimmed, tail: valueText.slice(trimmed.length) };
    }
  }
  const trimmed = valueText.replace(/\s+$/, '');
  return { raw: trimmed, tail: valueText.slice(trimmed.length) };
}

/**
 * TOML (which SOPS cannot read, getsops/sops#369): tables and arrays of tables give the path, values are replaced
 * in place so comments and layout survive; the metadata goes in a `[sops]` table at the end, flattened as in INI.
 * A value spanning lines (a multi-line array or string) is written back on one line.
 */
export const tomlFormat: CryptFormat = {
  name: 'toml',
  parse(text: string, file: string): ParsedCryptFile {
    if (!tryParse(text)) malformed(file, 1, 'valid TOML');
    const { lines, endsWithNewline } = splitLines(text);
    const out: (PairLine | OtherLine)[] = [];
    const meta: [string, string][] = [];
    let table: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] as string;
      const trimmed = line.trim();
      if (trimmed === '' || trimmed.startsWith('#')) {
        if (table[0] !== METADATA_KEY || table.length !== 1) out.push({ kind: 'other', text: line });
        continue;
      }
      if (trimmed.startsWith('[')) {
        const inner = trimmed.startsWith('[[')
          ? trimmed.replace(/^\[\[(.*?)\]\].*$/, '$1')
          : trimmed.replace(/^\[(.*?)\].*$/, '$1');
        const parsedHeader = tryParse(`[${inner}]`);
        if (!parsedHeader) malformed(file, i + 1, 'a [table] header');
        table = chain(parsedHeader, keyDepth(inner)).path;
        if (!(table.length === 1 && table[0] === METADATA_KEY)) out.push({ kind: 'other', text: line });
        continue;
      }
      // A key/value pair, possibly continued over the next lines (multi-line arrays and strings).
      let j = i;
      let joined = line;
      while (!tryParse(joined) && j + 1 < lines.length) joined += `\n${lines[++j]}`;
      const parsed = tryParse(joined);
      if (!parsed) malformed(file, i + 1, 'key = value');
      const eq = equalsAt(joined);
      const afterEq = joined.slice(eq + 1);
      const spaces = afterEq.length - afterEq.trimStart().length;
      const head = joined.slice(0, eq + 1 + spaces);
      const { raw, tail } = splitComment(joined.slice(head.length));
      const { path: keyPath, value } = chain(parsed, keyDepth(joined.slice(0, eq).trim()));
      i = j;
      if (table.length === 1 && table[0] === METADATA_KEY) {
        meta.push([keyPath.join('.'), typeof value === 'string' ? value : String(value)]);
        continue;
      }
      const leaves: FileLeaf[] = [];
      leavesOf(value, [...table, ...keyPath], raw, leaves);
      out.push({
        kind: 'pair',
        leaves,
        head,
        tail,
        raw,
        write: (values) => {
          let k = 0;
          return writeValue(value, () => values[k++] as CryptValue);
        },
      });
    }
    const metadata = meta.length === 0 ? undefined : unflattenMetadata(meta);
    const writeMeta = (m: Parameters<typeof flattenMetadata>[0]) => [
      '',
      `[${METADATA_KEY}]`,
      ...flattenMetadata(m).map(([k, v]) => `${k} = ${JSON.stringify(v.replaceAll('\\n', '\n'))}`),
    ];
    return lineFile(out, metadata, writeMeta, endsWithNewline);
  },
};
