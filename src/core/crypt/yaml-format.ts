import { type Document, isAlias, isMap, isScalar, isSeq, type Node, parseAllDocuments, Scalar } from 'yaml';
import { hushError } from '../errors/index.js';
import { type CryptFormat, type FileLeaf, malformed, type ParsedCryptFile } from './crypt-format.js';
import { METADATA_KEY, metadataToTree } from './crypt-metadata.js';
import { type CryptValue, formatFloat } from './crypt-value.js';

function typed(node: Scalar, source: string): CryptValue | undefined {
  const v = node.value;
  if (typeof v === 'string') return { type: 'str', text: v };
  if (typeof v === 'boolean') return { type: 'bool', text: String(v) };
  if (typeof v === 'number') {
    const raw = node.range ? source.slice(node.range[0], node.range[1]) : String(v);
    const isInt = Number.isInteger(v) && !/[.eE]/.test(raw);
    return isInt ? { type: 'int', text: String(v) } : { type: 'float', text: formatFloat(v) };
  }
  return undefined; // null and other tags are left as they are, outside the MAC (as SOPS readers do).
}

function native(value: CryptValue): string | number | boolean {
  switch (value.type) {
    case 'int':
    case 'float':
      return Number(value.text);
    case 'bool':
      return value.text.toLowerCase() === 'true';
    default:
      return value.text;
  }
}

function walk(
  node: Node | null | undefined,
  path: string[],
  source: string,
  out: { path: string[]; node: Scalar; value: CryptValue }[],
): void {
  if (node === null || node === undefined || isAlias(node)) return;
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      if (path.length === 0 && key === METADATA_KEY) continue;
      walk(pair.value as Node | null, [...path, key], source, out);
    }
  } else if (isSeq(node)) {
    for (const item of node.items) walk(item as Node | null, path, source, out);
  } else if (isScalar(node)) {
    const value = typed(node, source);
    if (value) out.push({ path, node, value });
  }
}

/** YAML through the `yaml` document model, so comments, key order and layout survive a round trip. */
export const yamlFormat: CryptFormat = {
  name: 'yaml',
  parse(text: string, file: string): ParsedCryptFile {
    const docs = parseAllDocuments(text, { prettyErrors: false });
    if (!Array.isArray(docs)) return parseOne(docs as unknown as Document, text, file);
    if (docs.length > 1) throw hushError('CRYPT_YAML_MULTI_DOCUMENT', { file, count: docs.length });
    const doc = docs[0];
    if (!doc) malformed(file, 1, 'a YAML mapping at the top level');
    return parseOne(doc, text, file);
  },
};

function parseOne(doc: Document, text: string, file: string): ParsedCryptFile {
  const err = doc.errors[0];
  if (err) malformed(file, err.linePos?.[0]?.line ?? 1, 'valid YAML');
  if (doc.contents !== null && !isMap(doc.contents)) malformed(file, 1, 'a YAML mapping at the top level');
  const found: { path: string[]; node: Scalar; value: CryptValue }[] = [];
  walk(doc.contents, [], text, found);
  const meta = doc.get(METADATA_KEY);
  const leaves: FileLeaf[] = found.map((f) => ({ path: f.path, value: f.value }));
  return {
    leaves,
    metadata: meta === undefined ? undefined : (doc.toJS() as Record<string, unknown>)[METADATA_KEY],
    render(values, metadata) {
      const copy = doc.clone();
      const targets: { path: string[]; node: Scalar; value: CryptValue }[] = [];
      walk(copy.contents, [], text, targets);
      targets.forEach((t, i) => {
        const v = values[i];
        if (!v) return;
        if (v.type === t.value.type && v.text === t.value.text) return;
        t.node.value = native(v);
        t.node.type =
          typeof t.node.value === 'string' && t.node.value.includes('\n') ? Scalar.BLOCK_LITERAL : undefined;
      });
      copy.delete(METADATA_KEY);
      if (metadata) {
        const node = copy.createNode(metadataToTree(metadata));
        // Quoted as SOPS writes it, so no YAML 1.1 reader takes it for a timestamp.
        const modified = node.get('lastmodified', true);
        if (isScalar(modified)) modified.type = Scalar.QUOTE_DOUBLE;
        copy.set(METADATA_KEY, node);
      }
      return copy.toString({ lineWidth: 0 });
    },
  };
}
