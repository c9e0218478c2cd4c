import { parseStrictJson } from '../json/strict-json.js';
import { type CryptFormat, type FileLeaf, malformed, type ParsedCryptFile } from './crypt-format.js';
import { METADATA_KEY, metadataToTree } from './crypt-metadata.js';
import { type CryptValue, formatFloat } from './crypt-value.js';

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

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
  if (v !== null && typeof v === 'object') {
    const out: { [k: string]: Json } = {};
    for (const [k, inner] of Object.entries(v)) {
      if (top && k === METADATA_KEY) continue;
      out[k] = mapLeaves(inner, [...path, k], false, visit);
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
    const tree = parseStrictJson(text, file) as Json;
    if (tree === null || typeof tree !== 'object' || Array.isArray(tree))
      malformed(file, 1, 'a JSON object at the top level');
    const leaves: FileLeaf[] = [];
    mapLeaves(tree, [], true, (path, value) => {
      leaves.push({ path, value });
      return null;
    });
    const root = tree;
    return {
      leaves,
      metadata: root[METADATA_KEY],
      render(values, metadata) {
        let i = 0;
        const body = mapLeaves(root, [], true, () => native(values[i++] as CryptValue)) as {
          [k: string]: Json;
        };
        if (metadata) body[METADATA_KEY] = metadataToTree(metadata) as Json;
        return `${JSON.stringify(body, null, 4)}\n`;
      },
    };
  },
};
