import { hushError } from '../../core/errors/index.js';
import { textChunks } from './byte-reader.js';
import { AddedLinesParser, type FileChange } from './diff-added-lines.js';
import { catFileReader, gitLines, SAFE_DIFF_FLAGS } from './git-process.js';
import { excludedBy } from './path-filter.js';
import { looksBinary, type ScanSource, type ScanUnit, type UnitMeta } from './source.js';

const ZERO = /^0{40}(?:0{24})?$/;
/** Blobs above this size are streamed to the engine in pieces instead of held whole. */
const STREAM_ABOVE = 1 << 20;

/** One pushed ref update, as a pre-receive hook reads it: `old new ref`. */
export interface RefUpdate {
  readonly oldId: string;
  readonly newId: string;
  readonly ref: string;
}

/** Parse pre-receive stdin (`old new ref` per line); malformed lines are a coded error naming the line. */
export function parseRefUpdates(text: string): RefUpdate[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line, i) => {
      const [oldId, newId, ref] = line.split(/\s+/);
      if (!oldId || !newId || !ref || !/^[0-9a-f]{40,64}$/.test(oldId) || !/^[0-9a-f]{40,64}$/.test(newId)) {
        throw hushError('PRE_RECEIVE_LINE_MALFORMED', { value: i + 1 });
      }
      return { oldId, newId, ref };
    });
}

// One side of a range: a ref, a commit id or a revision expression (HEAD~3, v1.2^{}, @{u}), never an option.
const RANGE_SIDE = /^[A-Za-z0-9_@][A-Za-z0-9_@./{}~^+-]*$/;

/**
 * Check a `--range` value (`A..B` or `A...B`, one side may be empty as in git) and return git's arguments for it,
 * behind `--end-of-options`: a value such as `--output=x..y` is refused, never handed to git as an option.
 */
export function rangeArgs(range: string): string[] {
  const m = /^(.*?)(\.\.\.?)(.*)$/s.exec(range);
  const ok = (side: string) => side === '' || (RANGE_SIDE.test(side) && !side.includes('..'));
  if (!m || (m[1] === '' && m[3] === '') || !ok(m[1]!) || !ok(m[3]!)) {
    throw hushError('RANGE_NEEDS_B_B_WHERE', { range: JSON.stringify(range) });
  }
  return ['--end-of-options', range];
}

/** The rev-list arguments of a ref update: new branches scan commits no existing ref has; deletions nothing. */
export function revArgsFor(update: RefUpdate): string[] | undefined {
  if (ZERO.test(update.newId)) return undefined;
  if (ZERO.test(update.oldId)) return [update.newId, '--not', '--all'];
  return [`${update.oldId}..${update.newId}`];
}

/**
 * Scan the lines added by the commits of one or more ranges (`A..B`, or pre-receive updates), streaming: the patch
 * is read line by line and, after each commit's diff, that commit's new blobs are read one at a time through one
 * `git cat-file --batch`, findings kept only on the lines the commit added. Memory holds one commit's line numbers
 * and one blob, never the whole push.
 */
export function gitRangeSource(options: {
  readonly cwd: string;
  readonly revArgs: readonly string[][];
  readonly exclude?: readonly string[];
}): ScanSource {
  const skip = excludedBy(options.exclude);
  return {
    async *units() {
      const { cwd } = options;
      const cat = catFileReader(cwd);
      async function* commitUnits(changes: readonly FileChange[], meta: UnitMeta | undefined) {
        const byBlob = new Map<string, FileChange[]>();
        for (const change of changes) {
          if (!change.blob || change.added.size === 0 || skip(change.path)) continue;
          const list = byBlob.get(change.blob) ?? [];
          list.push(change);
          byBlob.set(change.blob, list);
        }
        for (const [blob, list] of byBlob) {
          const obj = await cat.start(blob);
          if (!obj) continue;
          const unit = (change: FileChange, body: Pick<ScanUnit, 'data' | 'chunks'>): ScanUnit => ({
            path: change.path,
            ...body,
            bytes: obj.size,
            onlyLines: change.added,
            cacheKey: obj.id,
            ...(meta ? { meta } : {}),
          });
          if (looksBinary(await cat.peek(Math.min(obj.size, 8192)))) {
            await cat.finish(obj.size);
            continue;
          }
          if (obj.size <= STREAM_ABOVE) {
            const data = await cat.read(obj.size);
            await cat.finish(0);
            for (const change of list) yield unit(change, { data });
            continue;
          }
          // A large blob is streamed to the engine as git writes it; a second path with the same blob asks again.
          for (const [i, change] of list.entries()) {
            if (i > 0 && !(await cat.start(blob))) break;
            let left = obj.size;
            const body = (async function* () {
              for await (const piece of cat.take(obj.size)) {
                left -= piece.length;
                yield piece;
              }
            })();
            yield unit(change, { chunks: textChunks(body) });
            await cat.finish(left);
          }
        }
      }
      try {
        for (const args of options.revArgs) {
          const parser = new AddedLinesParser();
          let meta: UnitMeta | undefined;
          for await (const line of gitLines(cwd, [
            'log',
            '-p',
            ...SAFE_DIFF_FLAGS,
            '--raw',
            '--no-abbrev',
            '--no-notes',
            '--root',
            // Merges too (git log prints no diff for them by default): their combined diff shows what the merge
            // itself added, such as a line in a conflict resolution that neither parent has.
            '--cc',
            '--format=\x01%H%x00%an <%ae>%x00%aI',
            ...args,
          ])) {
            if (line.startsWith('\x01')) {
              // A commit ends where the next begins: scan its blobs, then forget them.
              yield* commitUnits(parser.changes, meta);
              parser.changes = [];
              const [commit, author, date] = line.slice(1).split('\0');
              meta = commit ? { commit, author: author ?? '', date: date ?? '' } : undefined;
            }
            parser.line(line);
          }
          yield* commitUnits(parser.changes, meta);
        }
      } finally {
        await cat.close();
      }
    },
  };
}
