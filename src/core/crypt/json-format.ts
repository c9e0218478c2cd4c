import { parse as parseYaml } from 'yaml';
import { parseStrictJson } from '../json/strict-json.js';
import { type CryptFormat, type FileLeaf, malformed, type ParsedCryptFile } from './crypt-format.js';
import { METADATA_KEY, metadataToTree } from './crypt-metadata.js';
import { type CryptValue, formatFloat } from './crypt-value.js';

/** JSON with objects as Maps: a plain object would move integer-like keys ("2", "10") to the front. */
type Json = string | number | boolean | null | Json[] | Map<string, Json>;

/**
 * Parse keeping key order as written: SOPS's MAC covers the values in document order, so a file with keys like
 * "10" and "2" must be walked as written. The strict parser checks the text first (duplicate and prototype keys,
 * depth); the `yaml` package's JSON schema then builds the ordered tree.
 */
function parseOrdered(text: string, file: string): Json {
  parseStrictJson(text, file);
  return parseYaml(text, { schema: 'json', mapAsMap: true }) as Json;
}

/** The ordered tree as JSON.stringify(v, null, 4) writes a plain one, keys in their order. */
function stringify(v: Json, indent: string): string {
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    const inner = `${indent}    `;
    return `[\n${v.map((item) => inner + stringify(item, inner)).join(',\n')}\n${indent}]`;
  }
  if (v instanceof Map) {
    if (v.size === 0) return '{}';
    const inner = `${indent}    `;
    const items = [...v].map(([k, item]) => `${inner}${JSON.stringify(k)}: ${stringify(item, inner)}`);
    return `{\n${items.join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(v);
}

/** An ordered subtree as plain objects (the metadata reader's input). */
function toPlain(v: Json | undefined): unknown {
  if (Array.isArray(v)) return v.map(toPlain);
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, i]) => [k, toPlain(i)]));
  return v;
}

/** The metadata tree (plain objects, no integer-like keys) as the ordered tree. */
function fromPlain(v: unknown): Json {
  if (Array.isArray(v)) return v.map(fromPlain);
  if (v !== null && typeof v === 'object')
    return new Map(Object.entries(v).map(([k, i]) => [k, fromPlain(i)]));
  return v as Json;
}

function typed(v: Json): CryptValue | undefined {
  if (typeof v === 'string') return { type: 'str', text: v };
  if (typeof v === 'boolean') return { type: 'bool', text: String(v) };
  if (typeof v === 'number')
    return Number.isInteger(v) ? { type: 'int', text: String(v) } : { type: 'float', text: formatFloat(v) };
  return undefined;
}

function native(value: CryptValue): Json {
  if (value.type === 'int' || value.type === 'float') return Number(value.text);
  if (value.type === 'bool') return value.text.toLowerCase() === 'true';
  return value.text;
}

/** Visit leaves in document order; `replace` (when given) returns each leaf's new value. */
function mapLeaves(
  v: Json,
  path: string[],
  top: boolean,
  visit: (path: string[], value: CryptValue) => Json,
): Json {
  if (Array.isArray(v)) return v.map((item) => mapLeaves(item, path, false, visit));
  if (v instanceof Map) {
    const out = new Map<string, Json>();
    for (const [k, inner] of v) {
      if (top && k === METADATA_KEY) continue;
      out.set(k, mapLeaves(inner, [...path, k], false, visit));
    }
    return out;
  }
  const value = typed(v);
  return value ? visit(path, value) : v;
}

/** JSON (strict: duplicate keys and prototype keys refused), written back with SOPS's four-space indent. */
export const jsonFormat: CryptFormat = {
  name: 'json',
  parse(text: string, file: string): ParsedCryptFile {
    const tree = parseOrdered(text, file);
    if (!(tree instanceof Map)) malformed(file, 1, 'a JSON object at the top level');
    const leaves: FileLeaf[] = [];
    mapLeaves(tree, [], true, (path, value) => {
      leaves.push({ path, value });
      return null;
    });
    const root = tree;
    return {
      leaves,
      metadata: toPlain(root.get(METADATA_KEY)),
      render(values, metadata) {
        let i = 0;
        const body = mapLeaves(root, [], true, () => native(values[i++] as CryptValue)) as Map<string, Json>;
        if (metadata) body.set(METADATA_KEY, fromPlain(metadataToTree(metadata)));
        return `${stringify(body, '')}\n`;
      },
    };
  },
};
