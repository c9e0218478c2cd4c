import { parseRawLine, unquote } from './git-history-source.js';

/** Added lines of one file in one commit (or in the index), from a `-U0` patch. */
export interface FileChange {
  readonly commit?: string;
  readonly path: string;
  /** The new blob id, when the patch came with `--raw`. */
  readonly blob?: string;
  readonly added: Set<number>;
}

const COMMIT_MARK = '\x01';

function bPath(line: string): string | undefined {
  const p = unquote(line.slice(4));
  if (p === '/dev/null') return undefined;
  return p.startsWith('b/') ? p.slice(2) : p;
}

/**
 * Parse unified-diff output (`git diff -U0`, or `git log -p -U0 --raw --cc` with commits marked by \x01<sha>) into
 * the added line numbers of each changed file. Deleted files have no added lines and are left out. A merge's
 * combined hunks (`@@@ … @@@`, one prefix column per parent) count as added only the lines no parent has (`++`):
 * what the merge itself introduced; lines taken from a parent were that parent's to add.
 */
export function parseAddedLines(patch: string): FileChange[] {
  const parser = new AddedLinesParser();
  for (const line of patch.split('\n')) parser.line(line);
  return parser.changes;
}

/** The parser of parseAddedLines fed one line at a time, so a patch can be read as a stream. */
export class AddedLinesParser {
  /** The changes parsed so far (the caller may empty it between commits). */
  changes: FileChange[] = [];
  private commit: string | undefined;
  private blobs = new Map<string, string>();
  private current: { path: string; added: Set<number> } | undefined;
  private next = 0;
  // Added lines still due in the current hunk: a content line such as "++ x" shows as "+++ x", so count, not guess.
  private due = 0;
  // Prefix columns of the current hunk: 1 for a commit, one per parent for a merge's combined diff.
  private columns = 1;

  /** Feed the next line of the patch (without its newline). */
  line(line: string): void {
    const current = this.current;
    if (this.due > 0 && current && this.columns > 1) {
      const prefix = line.slice(0, this.columns);
      // A line some parent had and the merge dropped, or git's "\ No newline at end of file".
      if (prefix.includes('-') || line.startsWith('\\')) return;
      if (/^\+*$/.test(prefix)) current.added.add(this.next);
      this.next++;
      this.due--;
    } else if (this.due > 0 && current && line.startsWith('+')) {
      current.added.add(this.next++);
      this.due--;
    } else if (line.startsWith(COMMIT_MARK)) {
      this.commit = line.slice(1).split('\0')[0];
      this.blobs = new Map();
      this.current = undefined;
    } else if (line.startsWith(':') && !current) {
      const raw = parseRawLine(line);
      if (raw) this.blobs.set(raw.path, raw.blob);
    } else if (
      line.startsWith('diff --git ') ||
      line.startsWith('diff --cc ') ||
      line.startsWith('diff --combined ')
    ) {
      this.current = undefined;
    } else if (line.startsWith('+++ ')) {
      const path = bPath(line);
      if (path === undefined) return;
      this.current = { path, added: new Set() };
      const blob = this.blobs.get(path);
      const commit = this.commit;
      this.changes.push({
        ...(commit ? { commit } : {}),
        path,
        ...(blob ? { blob } : {}),
        added: this.current.added,
      });
    } else if (line.startsWith('@@')) {
      // `@@ -a,b +c,d @@`, or for a merge of N parents `@@@ -a,b -c,d +e,f @@@` (N+1 at signs).
      const m = /^(@@+) (?:-\d+(?:,\d+)? )+\+(\d+)(?:,(\d+))? @@+/.exec(line);
      this.columns = m ? m[1]!.length - 1 : 1;
      this.next = m ? Number(m[2]) : 0;
      this.due = m ? Number(m[3] ?? '1') : 0;
    }
  }
}
