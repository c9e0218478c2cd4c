import { createHash, timingSafeEqual } from 'node:crypto';
import { hushError } from '../errors/index.js';
import type { CryptFormat, FileLeaf, ParsedCryptFile } from './crypt-format.js';
import {
  type AgeStanza,
  type CryptMetadata,
  metadataFromTree,
  SOPS_FORMAT_VERSION,
  type TransitStanza,
} from './crypt-metadata.js';
import { type CryptRules, encryptionPredicate, normaliseRules } from './crypt-rules.js';
import {
  type CryptValue,
  decryptValue,
  encryptValue,
  looksEncrypted,
  macBytes,
  pathAad,
  showPath,
} from './crypt-value.js';

/** The recipients a file's data key is wrapped for (already wrapped: the core never sees key-service calls). */
export interface WrappedKeys {
  readonly age: readonly AgeStanza[];
  readonly hush_transit: readonly TransitStanza[];
}

/** What encryption needs besides the plaintext. */
export interface EncryptInput {
  readonly file: string;
  readonly format: CryptFormat;
  readonly text: string;
  readonly key: Uint8Array;
  readonly rules: CryptRules;
  readonly keys: WrappedKeys;
  readonly now: Date;
  /**
   * The file as it was encrypted before, under the same key: a value unchanged at the same path keeps its old
   * ciphertext, so `git diff` shows only what changed.
   */
  readonly previous?: string;
}

/** SOPS's `lastmodified`: RFC 3339 in UTC, whole seconds. */
export function lastModified(now: Date): string {
  return `${now.toISOString().slice(0, 19)}Z`;
}

function computeMac(values: readonly CryptValue[]): string {
  const h = createHash('sha512');
  for (const v of values) h.update(macBytes(v), 'utf8');
  return h.digest('hex').toUpperCase();
}

function leafKey(leaf: FileLeaf, plaintext: string): string {
  return `${leaf.value.type}\u0000${pathAad(leaf.path)}\u0000${plaintext}`;
}

/** Old ciphertexts by (type, path, plaintext), queued in document order, from the previous encrypted file. */
function reusableCiphertexts(input: EncryptInput): Map<string, string[]> {
  const reuse = new Map<string, string[]>();
  if (input.previous === undefined) return reuse;
  let old: DecryptedDocument;
  try {
    old = decryptDocument({ file: input.file, format: input.format, text: input.previous, key: input.key });
  } catch {
    return reuse; // another key, or a broken old copy: encrypt afresh.
  }
  const oldLeaves = input.format.parse(input.previous, input.file).leaves;
  oldLeaves.forEach((leaf, i) => {
    const plain = old.values[i];
    if (plain === undefined || !looksEncrypted(leaf.value.text)) return;
    const k = leafKey({ path: leaf.path, value: plain }, plain.text);
    reuse.set(k, [...(reuse.get(k) ?? []), leaf.value.text]);
  });
  return reuse;
}

/**
 * Encrypt every value the rules select, bound to its path, and write the metadata block with the MAC over all values.
 * A file that already carries a `sops` block is refused (decrypt it first, or use `hush crypt rotate`).
 */
export function encryptDocument(input: EncryptInput): string {
  const parsed = input.format.parse(input.text, input.file);
  if (parsed.metadata !== undefined) throw hushError('CRYPT_ALREADY_ENCRYPTED', { file: input.file });
  const rules = normaliseRules(input.rules);
  const encrypted = encryptionPredicate(rules);
  const reuse = reusableCiphertexts(input);
  const out = parsed.leaves.map((leaf): CryptValue => {
    if (!encrypted(leaf.path) || leaf.value.text === '') return leaf.value;
    if (leaf.value.type === 'str' && looksEncrypted(leaf.value.text)) {
      throw hushError('CRYPT_VALUE_ALREADY_ENCRYPTED', { file: input.file, path: showPath(leaf.path) });
    }
    const again = reuse.get(leafKey(leaf, leaf.value.text))?.shift();
    return { type: 'str', text: again ?? encryptValue(input.key, leaf.value, pathAad(leaf.path)) };
  });
  const modified = lastModified(input.now);
  const mac = encryptValue(
    input.key,
    { type: 'str', text: computeMac(parsed.leaves.map((l) => l.value)) },
    modified,
  );
  const metadata: CryptMetadata = {
    age: input.keys.age,
    hush_transit: input.keys.hush_transit,
    lastmodified: modified,
    mac,
    rules,
    version: SOPS_FORMAT_VERSION,
  };
  return parsed.render(out, metadata);
}

/** A decrypted file: its plaintext text and each value with its path, in document order. */
export interface DecryptedDocument {
  readonly text: string;
  readonly values: readonly CryptValue[];
  readonly leaves: readonly FileLeaf[];
  readonly metadata: CryptMetadata;
}

/** Read a file's metadata block, or undefined when it has none (a plaintext file). */
export function readMetadata(format: CryptFormat, text: string, file: string): CryptMetadata | undefined {
  const parsed = format.parse(text, file);
  return parsed.metadata === undefined ? undefined : metadataFromTree(parsed.metadata, file);
}

/**
 * Decrypt every value and check the MAC: a value changed, removed, added, reordered or swapped is HUSH_E_INTEGRITY
 * naming the file (and the key path when one value fails on its own); a plaintext value where the rules say
 * encrypted is refused too, since the MAC alone would accept a value replaced by its own plaintext.
 */
export function decryptDocument(input: {
  readonly file: string;
  readonly format: CryptFormat;
  readonly text: string;
  readonly key: Uint8Array;
  /** The file already parsed (saves a second parse when the caller read the metadata first). */
  readonly parsed?: ParsedCryptFile;
}): DecryptedDocument {
  const parsed = input.parsed ?? input.format.parse(input.text, input.file);
  if (parsed.metadata === undefined) throw hushError('CRYPT_NOT_ENCRYPTED', { file: input.file });
  const metadata = metadataFromTree(parsed.metadata, input.file);
  const encrypted = encryptionPredicate(normaliseRules(metadata.rules));
  const values = parsed.leaves.map((leaf): CryptValue => {
    const site = { file: input.file, path: leaf.path };
    if (!encrypted(leaf.path) || leaf.value.text === '') return leaf.value;
    if (leaf.value.type !== 'str' || !looksEncrypted(leaf.value.text)) {
      throw hushError('CRYPT_VALUE_PLAINTEXT', { file: input.file, path: showPath(leaf.path) });
    }
    return decryptValue(input.key, leaf.value.text, pathAad(leaf.path), site);
  });
  const stored = decryptValue(input.key, metadata.mac, metadata.lastmodified, {
    file: input.file,
    path: ['sops', 'mac'],
  });
  const want = Buffer.from(computeMac(values), 'utf8');
  const got = Buffer.from(stored.text.toUpperCase(), 'utf8');
  if (want.length !== got.length || !timingSafeEqual(want, got)) {
    throw hushError('CRYPT_MAC_MISMATCH', { file: input.file });
  }
  return { text: parsed.render(values, undefined), values, leaves: parsed.leaves, metadata };
}
