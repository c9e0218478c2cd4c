import type { AuditEvent } from '../audit/audit-record.js';

/** One `hush crypt` recipient change as the server recorded it (operation `crypt.audit`). */
export interface RecipientChange {
  readonly time: string;
  readonly identity: string | null;
  readonly operation: 'recipients.add' | 'recipients.remove';
  readonly files: readonly string[];
  readonly recipients: readonly string[];
  readonly rotated: readonly string[];
  readonly rotateByHand: number;
}

/** A file as far as the recorded changes tell: recipients added and not removed since, and its last change. */
export interface RecipientFile {
  readonly file: string;
  readonly recipients: readonly string[];
  readonly changes: number;
  readonly lastChange: string;
  readonly lastBy: string | null;
}

/** What the server knows of encrypted files: only the recipient changes `hush crypt` reported to it. */
export interface RecipientView {
  readonly files: RecipientFile[];
  /** Newest first, at most `maxChanges`. */
  readonly changes: RecipientChange[];
}

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/** The change an audit record holds, or undefined for any other record (other operations, refusals, intents). */
export function recipientChangeOf(r: AuditEvent): RecipientChange | undefined {
  if (r.operation !== 'crypt.audit' || r.outcome !== 'allowed' || !r.details) return undefined;
  const d = r.details;
  const op = d['cryptOperation'];
  if (op !== 'recipients.add' && op !== 'recipients.remove') return undefined;
  return {
    time: r.time,
    identity: r.identity,
    operation: op,
    files: strings(d['files']),
    recipients: strings(d['recipients']),
    rotated: strings(d['rotated']),
    rotateByHand: typeof d['rotateByHand'] === 'number' ? d['rotateByHand'] : 0,
  };
}

/**
 * Fold recipient changes (oldest first, see {@link recipientChangeOf}) into the recipients of each file the server heard of. Files encrypted without a
 * recipient change (a first `hush crypt encrypt`) are never reported, so this is what the server knows, not the
 * truth of the repository: the files' own metadata is that.
 *
 * @example
 * recipientView(changes).files // [{ file: 'app.enc.yaml', recipients: ['transit:team'], ... }]
 */
export function recipientView(all: Iterable<RecipientChange>, maxChanges = 100): RecipientView {
  const files = new Map<string, { recipients: Set<string>; changes: number; last: RecipientChange }>();
  const changes: RecipientChange[] = [];
  for (const change of all) {
    changes.push(change);
    if (changes.length > maxChanges) changes.shift();
    for (const file of change.files) {
      const f = files.get(file) ?? { recipients: new Set<string>(), changes: 0, last: change };
      for (const who of change.recipients) {
        if (change.operation === 'recipients.add') f.recipients.add(who);
        else f.recipients.delete(who);
      }
      f.changes += 1;
      f.last = change;
      files.set(file, f);
    }
  }
  return {
    files: [...files]
      .map(([file, f]) => ({
        file,
        recipients: [...f.recipients].sort(),
        changes: f.changes,
        lastChange: f.last.time,
        lastBy: f.last.identity,
      }))
      .sort((a, b) => a.file.localeCompare(b.file)),
    changes: changes.reverse(),
  };
}
