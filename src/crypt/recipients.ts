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
import { type Recipients, recipientsOf } from './data-keys.js';
import { type StoreRotation, sameValue, storeValueAt, storeValuesFor } from './store-values.js';

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

/** A store secret a removal rotated, and where its new value was written. */
export interface RotatedValue {
  readonly file: string;
  readonly path: string;
  readonly secret: string;
  readonly version: number;
}

/** A value the removed party could read that Hush could not rotate, and why. */
export interface HandValue {
  readonly file: string;
  readonly path: string;
  readonly reason: string;
}

/** What a recipient change did: the files rewritten and, after a removal, the values rotated or left to rotate by hand. */
export interface RecipientReport {
  readonly files: readonly string[];
  readonly rotated: readonly RotatedValue[];
  readonly rotateByHand: readonly HandValue[];
}

function checkChange(current: Recipients, change: RecipientChange, file: string): void {
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
}

/** A value the removed party could read, with the store secret that manages it (when one does). */
interface Exposed {
  readonly file: string;
  readonly path: string;
  readonly value: string;
  readonly secret?: string;
}

/**
 * Rotate each exposed value a store secret manages, once per secret. A mapping is trusted only while the file holds
 * the store's current value (compared in constant time): otherwise the file is not in step and a person must look.
 */
async function rotateExposed(
  exposed: readonly Exposed[],
  store: StoreRotation | undefined,
): Promise<{ rotated: RotatedValue[]; byHand: HandValue[]; replace: Map<string, Map<string, string>> }> {
  const rotated: RotatedValue[] = [];
  const byHand: HandValue[] = [];
  const replace = new Map<string, Map<string, string>>();
  const done = new Map<string, { value: string; version: number } | { reason: string }>();
  for (const e of exposed) {
    if (e.secret === undefined) {
      byHand.push({ file: e.file, path: e.path, reason: 'not managed by the Hush store' });
      continue;
    }
    if (!store) {
      byHand.push({
        file: e.file,
        path: e.path,
        reason: `${e.secret}: no Hush server configured (HUSH_ADDR)`,
      });
      continue;
    }
    let outcome = done.get(e.secret);
    if (!outcome) {
      const current = await store.current(e.secret);
      outcome =
        current === undefined || !sameValue(current, e.value)
          ? { reason: `${e.secret}: the file's value is not the store's current value` }
          : await store.rotate(e.secret);
      done.set(e.secret, outcome);
    }
    if ('reason' in outcome) {
      byHand.push({ file: e.file, path: e.path, reason: outcome.reason });
      continue;
    }
    rotated.push({ file: e.file, path: e.path, secret: e.secret, version: outcome.version });
    const values = replace.get(e.file) ?? new Map<string, string>();
    values.set(e.path, outcome.value);
    replace.set(e.file, values);
  }
  return { rotated, byHand, replace };
}

/**
 * Add recipients (same data key, rewrapped) or remove them (a new data key for the whole set: the removed party had
 * the old one). Every file is opened and checked before anything changes, so a bad file leaves all as they were.
 * After a removal, each value they could read that the store manages (`store_values` in the crypt config) is rotated
 * through its rotation policy and the new value written into the re-keyed file; the rest are listed to rotate by
 * hand: re-keying does not un-share what they already saw. With a server configured the change is recorded in its
 * audit trail (files, recipients, rotated secrets) before any file is written: no record, no change to the files.
 */
export async function changeRecipients(
  files: readonly string[],
  change: RecipientChange,
  ctx: CryptContext,
): Promise<RecipientReport> {
  const removing = change.remove !== undefined;
  const mapping = removing ? await storeValuesFor(ctx.cwd) : [];
  const exposed: Exposed[] = [];
  for (const file of files) {
    const opened = await openFile(file, undefined, ctx);
    checkChange(recipientsOf(opened.doc.metadata), change, file);
    if (!removing) continue;
    const encrypted = encryptionPredicate(normaliseRules(opened.doc.metadata.rules));
    opened.doc.leaves.forEach((leaf, i) => {
      const value = opened.doc.values[i];
      if (!encrypted(leaf.path) || !value || value.text === '') return;
      const path = leaf.path.join('.');
      const secret = storeValueAt(mapping, ctx.cwd, file, path)?.secret;
      exposed.push({ file, path, value: value.text, ...(secret !== undefined ? { secret } : {}) });
    });
  }
  const { rotated, byHand, replace } = await rotateExposed(exposed, ctx.store);
  const outputs = await rekeyFiles(files, change, removing, ctx, replace);
  const named = removing ? change.remove : change.add;
  await ctx.audit?.({
    operation: removing ? 'recipients.remove' : 'recipients.add',
    files: [...files],
    recipients: [...(named?.age ?? []), ...(named?.transit ?? []).map((k) => `transit:${k}`)],
    rotated: [...new Set(rotated.map((r) => r.secret))],
    rotateByHand: byHand.length,
  });
  for (const o of outputs) await writeSecretFileAtomic(o.file, o.text, 'recipients');
  return { files: outputs.map((o) => o.file), rotated, rotateByHand: byHand };
}
