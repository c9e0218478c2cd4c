import { readFile } from 'node:fs/promises';
import {
  type CryptAuditRecord,
  type CryptFormat,
  type CryptRules,
  checkText,
  cryptFormatFor,
  type DecryptedDocument,
  decryptDocument,
  encryptDocument,
  metadataFromTree,
} from '../core/crypt/index.js';
import { hushError } from '../core/errors/index.js';
import { creationRuleFor } from './crypt-config.js';
import { type DataKeys, newDataKey, type Recipients, recipientsOf } from './data-keys.js';
import type { StoreRotation } from './store-values.js';

/** What every crypt use case needs: the command's data-key cache, a clock and the folder paths are relative to. */
export interface CryptContext {
  readonly dataKeys: DataKeys;
  readonly now: () => Date;
  readonly cwd: string;
  /** The Hush store (when a server is configured): revocation rotates the values it manages. */
  readonly store?: StoreRotation;
  /** The server's audit trail (when a server is configured): a recipient change is recorded before files change. */
  readonly audit?: (record: CryptAuditRecord) => Promise<void>;
}

/** Options of {@link encryptFiles}; flags win over the nearest `.sops.yaml`/`.hush-crypt.yaml` creation rule. */
export interface EncryptOptions {
  readonly format?: string;
  readonly rules?: CryptRules;
  readonly recipients?: Recipients;
  /** Join the file set of this encrypted file: reuse its data key and recipients. */
  readonly keyFrom?: string;
}

/** A file's new text, ready to write. */
export interface FileOutput {
  readonly file: string;
  readonly text: string;
}

/** Read a file as text for `hush crypt` (binary files and conflict markers refused, naming the file). */
export async function readCryptFile(file: string): Promise<string> {
  return checkText(await readFile(file), file);
}

const hasRules = (r: CryptRules | undefined): r is CryptRules =>
  r !== undefined && Object.values(r).some((v) => v !== undefined);
const hasRecipients = (r: Recipients | undefined): r is Recipients =>
  r !== undefined && r.age.length + r.transit.length > 0;

/**
 * Encrypt plaintext files as one file set: one fresh data key (or the `--key-from` file's) wrapped once for the
 * recipients, so decrypting them all later costs one key-service call.
 */
export async function encryptFiles(
  files: readonly string[],
  opts: EncryptOptions,
  ctx: CryptContext,
): Promise<FileOutput[]> {
  let dataKey: Uint8Array = newDataKey();
  let fixedRecipients: Recipients | undefined;
  if (opts.keyFrom !== undefined) {
    const donor = await openFile(opts.keyFrom, undefined, ctx);
    dataKey = donor.key;
    fixedRecipients = recipientsOf(donor.doc.metadata);
  }
  const out: FileOutput[] = [];
  for (const file of files) {
    const text = await readCryptFile(file);
    const rule = await creationRuleFor(file, ctx.cwd);
    const recipients = fixedRecipients ??
      (hasRecipients(opts.recipients) ? opts.recipients : rule?.recipients) ?? { age: [], transit: [] };
    const rules = hasRules(opts.rules) ? opts.rules : (rule?.rules ?? {});
    const now = ctx.now();
    const keys = await ctx.dataKeys.wrap(file, dataKey, recipients, now);
    const format = cryptFormatFor(file, opts.format);
    out.push({ file, text: encryptDocument({ file, format, text, key: dataKey, rules, keys, now }) });
  }
  return out;
}

/** An encrypted file opened: its format, data key and decrypted document. */
export interface OpenedFile {
  readonly file: string;
  readonly format: CryptFormat;
  readonly text: string;
  readonly key: Uint8Array;
  readonly doc: DecryptedDocument;
}

/** Read, unwrap (through the command's cache) and decrypt one file, checking every value and the MAC. */
export async function openFile(
  file: string,
  format: string | undefined,
  ctx: CryptContext,
): Promise<OpenedFile> {
  const text = await readCryptFile(file);
  return openText(file, text, format, ctx);
}

/** {@link openFile} over text already read (git filters hand Hush the text on stdin). */
export async function openText(
  file: string,
  text: string,
  format: string | undefined,
  ctx: CryptContext,
): Promise<OpenedFile> {
  const f = cryptFormatFor(file, format);
  const parsed = f.parse(text, file);
  if (parsed.metadata === undefined) throw hushError('CRYPT_NOT_ENCRYPTED', { file });
  const key = await ctx.dataKeys.unwrap(file, metadataFromTree(parsed.metadata, file));
  return { file, format: f, text, key, doc: decryptDocument({ file, format: f, text, key, parsed }) };
}

/**
 * Encrypt new plaintext for an opened file under its own key, recipients and rules; values unchanged at the same
 * path keep their ciphertext (the edit and git clean paths), and an unchanged file keeps its bytes exactly.
 */
export async function reencrypt(opened: OpenedFile, plaintext: string, ctx: CryptContext): Promise<string> {
  if (plaintext === opened.doc.text) return opened.text;
  const now = ctx.now();
  const m = opened.doc.metadata;
  return encryptDocument({
    file: opened.file,
    format: opened.format,
    text: plaintext,
    key: opened.key,
    rules: m.rules,
    keys: { age: m.age, hush_transit: m.hush_transit },
    now,
    previous: opened.text,
  });
}

/** A change of recipients for {@link rekeyFiles}. */
export interface RecipientChange {
  readonly add?: Recipients;
  readonly remove?: Recipients;
}

function applyChange(current: Recipients, change: RecipientChange): Recipients {
  const keep = (list: readonly string[], gone: readonly string[] = [], added: readonly string[] = []) => [
    ...list.filter((r) => !gone.includes(r)),
    ...added.filter((r) => !list.includes(r)),
  ];
  return {
    age: keep(current.age, change.remove?.age, change.add?.age),
    transit: keep(current.transit, change.remove?.transit, change.add?.transit),
  };
}

/**
 * Give files new recipients. With `newKey` (rotate, or a recipient removed: it had the old key) every value is
 * encrypted afresh under one new data key for the set; otherwise the data key stays and only the wrapping changes.
 */
export async function rekeyFiles(
  files: readonly string[],
  change: RecipientChange,
  newKey: boolean,
  ctx: CryptContext,
  /** New plaintext values by file and dot-joined key path (rotated store secrets). */
  replace?: ReadonlyMap<string, ReadonlyMap<string, string>>,
): Promise<FileOutput[]> {
  const setKey = newKey ? newDataKey() : undefined;
  const out: FileOutput[] = [];
  for (const file of files) {
    const opened = await openFile(file, undefined, ctx);
    const m = opened.doc.metadata;
    const recipients = applyChange(recipientsOf(m), change);
    const key = setKey ?? opened.key;
    const now = ctx.now();
    const keys = await ctx.dataKeys.wrap(file, key, recipients, now);
    const text = encryptDocument({
      file,
      format: opened.format,
      text: withValues(opened, replace?.get(file)),
      key,
      rules: m.rules,
      keys,
      now,
      ...(setKey ? {} : { previous: opened.text }),
    });
    out.push({ file, text });
  }
  return out;
}

/** The opened file's plaintext with the values at the given key paths replaced (strings, as rotation makes them). */
function withValues(opened: OpenedFile, values: ReadonlyMap<string, string> | undefined): string {
  if (!values || values.size === 0) return opened.doc.text;
  const parsed = opened.format.parse(opened.doc.text, opened.file);
  return parsed.render(
    parsed.leaves.map((leaf) => {
      const next = values.get(leaf.path.join('.'));
      return next === undefined ? leaf.value : { type: 'str', text: next };
    }),
    undefined,
  );
}
