import { hushError } from '../errors/index.js';
import { type CryptRules, RULE_KEYS } from './crypt-rules.js';

/** The data key wrapped for one age X25519 recipient: an armored age file holding the 32 key bytes (SOPS's stanza). */
export interface AgeStanza {
  readonly recipient: string;
  readonly enc: string;
}

/** The data key wrapped by a Hush transit key (`hush:v<N>:...`); SOPS ignores this block, Hush reads it. */
export interface TransitStanza {
  readonly key: string;
  readonly enc: string;
  readonly created_at: string;
}

/** The `sops` block of an encrypted file. */
export interface CryptMetadata {
  readonly age: readonly AgeStanza[];
  readonly hush_transit: readonly TransitStanza[];
  readonly lastmodified: string;
  /** The encrypted MAC (`ENC[...]`), bound to `lastmodified`. */
  readonly mac: string;
  readonly rules: CryptRules;
  readonly version: string;
}

/** The SOPS version Hush's files claim to be (the format of 3.x, which every 3.x release reads). */
export const SOPS_FORMAT_VERSION = '3.9.1';
/** The key of the metadata block at the top of a file. */
export const METADATA_KEY = 'sops';

type Tree = Record<string, unknown>;

/** The metadata as the nested tree YAML and JSON files hold under `sops`. */
export function metadataToTree(meta: CryptMetadata): Tree {
  const tree: Tree = { age: meta.age.map((a) => ({ recipient: a.recipient, enc: a.enc })) };
  if (meta.hush_transit.length > 0) {
    tree['hush_transit'] = meta.hush_transit.map((t) => ({
      key: t.key,
      enc: t.enc,
      created_at: t.created_at,
    }));
  }
  tree['lastmodified'] = meta.lastmodified;
  tree['mac'] = meta.mac;
  for (const k of RULE_KEYS) if (meta.rules[k] !== undefined) tree[k] = meta.rules[k];
  tree['version'] = meta.version;
  return tree;
}

function str(tree: Tree, key: string, file: string): string {
  const v = tree[key];
  if (typeof v !== 'string') throw hushError('CRYPT_METADATA_INVALID', { file, field: `sops.${key}` });
  return v;
}

function stanzas(tree: Tree, key: string, fields: readonly string[], file: string): Record<string, string>[] {
  const list = tree[key];
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw hushError('CRYPT_METADATA_INVALID', { file, field: `sops.${key}` });
  return list.map((item, i) => {
    const out: Record<string, string> = {};
    for (const f of fields) {
      const v = (item as Tree | null)?.[f];
      if (typeof v !== 'string')
        throw hushError('CRYPT_METADATA_INVALID', { file, field: `sops.${key}[${i}].${f}` });
      out[f] = v;
    }
    return out;
  });
}

/** Read the metadata tree (YAML/JSON `sops`, or the unflattened .env/INI/TOML keys); HUSH_E_INVALID_INPUT names the field. */
export function metadataFromTree(tree: unknown, file: string): CryptMetadata {
  if (typeof tree !== 'object' || tree === null || Array.isArray(tree)) {
    throw hushError('CRYPT_METADATA_INVALID', { file, field: METADATA_KEY });
  }
  const t = tree as Tree;
  const rules: Record<string, string> = {};
  for (const k of RULE_KEYS) if (typeof t[k] === 'string') rules[k] = t[k] as string;
  return {
    age: stanzas(t, 'age', ['recipient', 'enc'], file) as unknown as AgeStanza[],
    hush_transit: stanzas(
      t,
      'hush_transit',
      ['key', 'enc', 'created_at'],
      file,
    ) as unknown as TransitStanza[],
    lastmodified: str(t, 'lastmodified', file),
    mac: str(t, 'mac', file),
    rules,
    version: typeof t['version'] === 'string' ? t['version'] : String(t['version'] ?? ''),
  };
}

/**
 * Flatten the metadata into the `key=value` pairs .env and INI files hold (SOPS's spelling:
 * `age__list_0__map_recipient`); newlines in values are written as `\n`.
 */
export function flattenMetadata(meta: CryptMetadata): [string, string][] {
  const out: [string, string][] = [];
  const walk = (prefix: string, v: unknown): void => {
    if (Array.isArray(v)) {
      v.forEach((item, i) => {
        walk(`${prefix}__list_${i}`, item);
      });
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, inner] of Object.entries(v)) walk(prefix === '' ? k : `${prefix}__map_${k}`, inner);
    } else out.push([prefix, String(v).replaceAll('\n', '\\n')]);
  };
  walk('', metadataToTree(meta));
  return out;
}

/** The inverse of {@link flattenMetadata}: rebuild the nested tree from flat pairs. */
export function unflattenMetadata(pairs: Iterable<readonly [string, string]>): Tree {
  const root: Tree = {};
  for (const [flatKey, raw] of pairs) {
    const value = raw.replaceAll('\\n', '\n');
    const parts = flatKey.split('__');
    let node: Tree | unknown[] = root;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as string;
      const last = i === parts.length - 1;
      const key = part.startsWith('list_')
        ? Number(part.slice(5))
        : part.startsWith('map_')
          ? part.slice(4)
          : part;
      const nextIsList = !last && (parts[i + 1] as string).startsWith('list_');
      const holder = node as Record<string | number, unknown>;
      if (last) holder[key] = value;
      else {
        holder[key] ??= nextIsList ? [] : {};
        node = holder[key] as Tree | unknown[];
      }
    }
  }
  return root;
}
