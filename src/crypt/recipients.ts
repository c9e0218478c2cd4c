import { cryptFormatFor, encryptionPredicate, normaliseRules, readMetadata } from '../core/crypt/index.js';
import { hushError } from '../core/errors/index.js';
import { writeSecretFileAtomic } from '../fs/atomic-file.js';
import {
  type CryptContext,
  openFile,
  type RecipientChange,
  readCryptFile,
  rekeyFiles,
} from './crypt-files.js';
import { recipientsOf } from './data-keys.js';

/** One recipient of one file. */
export interface RecipientRow {
  readonly file: string;
  readonly kind: 'age' | 'transit';
  readonly recipient: string;
}

/** The recipients each file's metadata names (no key is needed to read them). */
export async function listRecipients(files: readonly string[]): Promise<RecipientRow[]> {
  const rows: RecipientRow[] = [];
  for (const file of files) {
    const meta = readMetadata(cryptFormatFor(file), await readCryptFile(file), file);
    if (!meta) throw hushError('CRYPT_NOT_ENCRYPTED', { file });
    for (const a of meta.age) rows.push({ file, kind: 'age', recipient: a.recipient });
    for (const t of meta.hush_transit) rows.push({ file, kind: 'transit', recipient: t.key });
  }
  return rows;
}

/** What a recipient change did: the files rewritten and, after a removal, the values the removed party could read. */
export interface RecipientReport {
  readonly files: readonly string[];
  readonly rotateByHand: readonly { readonly file: string; readonly path: string }[];
}

/**
 * Add recipients (same data key, rewrapped) or remove them (a new data key for the whole set: the removed party had
 * the old one). Every file is opened and checked before any is written, so a failure leaves all files as they were.
 * After a removal the values they could read are listed: re-keying does not un-share what they already saw.
 */
export async function changeRecipients(
  files: readonly string[],
  change: RecipientChange,
  ctx: CryptContext,
): Promise<RecipientReport> {
  const removing = change.remove !== undefined;
  const rotateByHand: { file: string; path: string }[] = [];
  for (const file of files) {
    const opened = await openFile(file, undefined, ctx);
    const current = recipientsOf(opened.doc.metadata);
    for (const r of change.remove?.age ?? [])
      if (!current.age.includes(r)) throw hushError('CRYPT_RECIPIENT_NOT_FOUND', { recipient: r, file });
    for (const r of change.remove?.transit ?? [])
      if (!current.transit.includes(r)) throw hushError('CRYPT_RECIPIENT_NOT_FOUND', { recipient: r, file });
    const left =
      current.age.filter((r) => !(change.remove?.age ?? []).includes(r)).length +
      current.transit.filter((r) => !(change.remove?.transit ?? []).includes(r)).length +
      (change.add?.age.length ?? 0) +
      (change.add?.transit.length ?? 0);
    if (left === 0)
      throw hushError('CRYPT_LAST_RECIPIENT', {
        recipient: [...(change.remove?.age ?? []), ...(change.remove?.transit ?? [])].join(', '),
        file,
      });
    if (removing) {
      const encrypted = encryptionPredicate(normaliseRules(opened.doc.metadata.rules));
      for (const leaf of opened.doc.leaves)
        if (encrypted(leaf.path) && leaf.value.text !== '')
          rotateByHand.push({ file, path: leaf.path.join('.') });
    }
  }
  const outputs = await rekeyFiles(files, change, removing, ctx);
  for (const o of outputs) await writeSecretFileAtomic(o.file, o.text, 'recipients');
  return { files: outputs.map((o) => o.file), rotateByHand };
}
