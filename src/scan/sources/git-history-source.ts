import { catFileBatch, gitOutput } from './git-process.js';
import { excludedBy } from './path-filter.js';
import { looksBinary, type ScanSource, type UnitMeta } from './source.js';

/** Where a blob first appeared: the commit, author and date that introduced it, and the path it had. */
export interface BlobOrigin extends UnitMeta {
  readonly path: string;
}

const COMMIT_MARK = '\x01';

/**
 * Parse `git log --reverse --raw --format=%x01%H%x00%an <%ae>%x00%aI` output into blob -> first origin. Raw lines
 * read `:100644 100644 <old> <new> M<TAB>path`; the new id is the blob that commit introduced.
 */
export function parseBlobOrigins(log: string): Map<string, BlobOrigin> {
  const origins = new Map<string, BlobOrigin>();
  let meta: UnitMeta = {};
  for (const line of log.split('\n')) {
    if (line.startsWith(COMMIT_MARK)) {
      const [commit, author, date] = line.slice(1).split('\0');
      meta = { commit: commit ?? '', author: author ?? '', date: date ?? '' };
    } else if (line.startsWith(':')) {
      const raw = parseRawLine(line);
      if (!raw || origins.has(raw.blob)) continue;
      origins.set(raw.blob, { ...meta, path: raw.path });
    }
  }
  return origins;
}

/**
 * The path and resulting blob of one `--raw` line: `:<mode> <mode> <old> <new> M<TAB>path` for a commit, or the
 * combined form of a merge with N parents, `::<N+1 modes> <N+1 ids> MM<TAB>path` (the last id is the result).
 * Undefined for a deletion (all-zero id) or a line that is not raw output.
 */
export function parseRawLine(line: string): { readonly blob: string; readonly path: string } | undefined {
  const tab = line.indexOf('\t');
  let parents = 0;
  while (line[parents] === ':') parents++;
  if (parents === 0 || tab < 0) return undefined;
  const blob = line.slice(parents, tab).split(' ')[2 * parents + 1];
  if (!blob || !/^[0-9a-f]+$/.test(blob) || /^0+$/.test(blob)) return undefined;
  return { blob, path: unquote(line.slice(tab + 1)) };
}

/** Undo git's C-style quoting of unusual paths ("a\tb" -> a<TAB>b), enough for display. */
export function unquote(path: string): string {
  if (!path.startsWith('"')) return path;
  try {
    const bytes = JSON.parse(
      path.replace(
        /\\([0-7]{3})/g,
        (_, o: string) => `\\u00${Number.parseInt(o, 8).toString(16).padStart(2, '0')}`,
      ),
    );
    return Buffer.from(String(bytes), 'latin1').toString('utf8');
  } catch {
    return path;
  }
}

/** Options of the history source. */
export interface GitHistoryOptions {
  readonly cwd: string;
  /** Blobs above this size are skipped with a warning (default 64 MiB). */
  readonly maxBlobBytes?: number;
  /** gitignore-style globs of paths to skip. */
  readonly exclude?: readonly string[];
}

/**
 * Scan the whole history of all refs: every unique blob once (`git rev-list --all --objects` streamed through
 * `git cat-file --batch`), each attributed to the commit, author, date and path that first introduced it.
 */
export function gitHistorySource(options: GitHistoryOptions): ScanSource {
  const maxBlob = options.maxBlobBytes ?? 64 << 20;
  const skip = excludedBy(options.exclude);
  return {
    async *units(warn) {
      const { cwd } = options;
      const [logOut, revOut] = await Promise.all([
        gitOutput(cwd, [
          'log',
          '--all',
          '--reverse',
          '--raw',
          // A merge that brings a blob neither parent had (an "evil" merge, a conflict resolution) introduced it:
          // combined raw output lists exactly those files; by default git prints nothing for merges.
          '--diff-merges=combined',
          '--no-renames',
          '--no-abbrev',
          '--no-color',
          '--no-relative',
          '--no-notes',
          '--root',
          `--format=${COMMIT_MARK}%H%x00%an <%ae>%x00%aI`,
        ]),
        gitOutput(cwd, ['rev-list', '--all', '--objects', '--filter=object:type=blob']),
      ]);
      const origins = parseBlobOrigins(logOut.toString('utf8'));
      const paths = new Map<string, string>();
      for (const line of revOut.toString('utf8').split('\n')) {
        const sp = line.indexOf(' ');
        if (sp > 0) paths.set(line.slice(0, sp), line.slice(sp + 1));
      }
      // Oldest introduction first, so reports (and the per-path collapse) see history in commit order.
      const ordered = [...origins.keys()].filter((id) => paths.has(id));
      for (const id of paths.keys()) if (!origins.has(id)) ordered.push(id);
      for await (const obj of catFileBatch(cwd, ordered)) {
        const origin = origins.get(obj.id);
        const path = origin?.path ?? paths.get(obj.id) ?? obj.id;
        if (skip(path)) continue;
        if (obj.data.length > maxBlob) {
          warn({
            path,
            message: `skipped blob ${obj.id.slice(0, 12)}: ${obj.data.length} bytes is over ${maxBlob}`,
          });
          continue;
        }
        if (looksBinary(obj.data)) continue;
        const meta: UnitMeta = origin
          ? { commit: origin.commit, author: origin.author, date: origin.date }
          : {};
        yield { path, meta, data: obj.data, bytes: obj.data.length };
      }
    },
  };
}
