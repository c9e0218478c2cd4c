import { writeSecretFileAtomic } from '../fs/atomic-file.js';
import { creationRuleFor } from './crypt-config.js';
import { type CryptContext, openFile, rekeyFiles } from './crypt-files.js';
import { recipientsOf } from './data-keys.js';

/** What `updatekeys` did to one file. */
export interface UpdateKeysResult {
  readonly file: string;
  readonly change: 'unchanged' | 'rewrapped' | 'rekeyed' | 'no matching creation rule';
}

/**
 * Bring each file's recipients in line with its creation rule. Added recipients get the same data key; a dropped
 * one had the key, so the file is re-keyed (every value encrypted afresh under a new data key).
 */
export async function updateKeys(files: readonly string[], ctx: CryptContext): Promise<UpdateKeysResult[]> {
  const results: UpdateKeysResult[] = [];
  for (const file of files) {
    const rule = await creationRuleFor(file, ctx.cwd);
    if (!rule) {
      results.push({ file, change: 'no matching creation rule' });
      continue;
    }
    const current = recipientsOf((await openFile(file, undefined, ctx)).doc.metadata);
    const remove = {
      age: current.age.filter((r) => !rule.recipients.age.includes(r)),
      transit: current.transit.filter((r) => !rule.recipients.transit.includes(r)),
    };
    const add = {
      age: rule.recipients.age.filter((r) => !current.age.includes(r)),
      transit: rule.recipients.transit.filter((r) => !current.transit.includes(r)),
    };
    const removed = remove.age.length + remove.transit.length > 0;
    if (!removed && add.age.length + add.transit.length === 0) {
      results.push({ file, change: 'unchanged' });
      continue;
    }
    const [out] = await rekeyFiles([file], { add, remove }, removed, ctx);
    if (out) await writeSecretFileAtomic(out.file, out.text, 'updatekeys');
    results.push({ file, change: removed ? 'rekeyed' : 'rewrapped' });
  }
  return results;
}
