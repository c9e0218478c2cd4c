import { HushError } from '../../core/errors/hush-error.js';
import { parseAddedLines } from './diff-added-lines.js';
import { catFileBatch, gitOutput, SAFE_DIFF_FLAGS } from './git-process.js';
import { excludedBy } from './path-filter.js';
import { looksBinary, type ScanSource, type UnitMeta } from './source.js';

const ZERO = /^0{40}(?:0{24})?$/;

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
        throw new HushError('HUSH_E_USAGE', `pre-receive input line ${i + 1} is not "<old> <new> <ref>"`);
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
    throw new HushError(
      'HUSH_E_USAGE',
      `--range needs A..B (or A...B) where A and B are commits or refs such as main, HEAD~3, v1.2 or a commit id; got ${JSON.stringify(range)}`,
    );
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
 * Scan the lines added by the commits of one or more ranges (`A..B`, or pre-receive updates): each blob is read
 * once through `git cat-file --batch`, findings kept only on the lines each commit added.
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
      for (const args of options.revArgs) {
        const patch = await gitOutput(cwd, [
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
        ]);
        const text = patch.toString('utf8');
        const metas = new Map<string, UnitMeta>();
        for (const line of text.split('\n')) {
          if (!line.startsWith('\x01')) continue;
          const [commit, author, date] = line.slice(1).split('\0');
          if (commit) metas.set(commit, { commit, author: author ?? '', date: date ?? '' });
        }
        const byBlob = new Map<string, ReturnType<typeof parseAddedLines>>();
        for (const change of parseAddedLines(text)) {
          if (!change.blob || change.added.size === 0 || skip(change.path)) continue;
          const list = byBlob.get(change.blob) ?? [];
          list.push(change);
          byBlob.set(change.blob, list);
        }
        for await (const obj of catFileBatch(cwd, byBlob.keys())) {
          if (looksBinary(obj.data)) continue;
          const content = obj.data.toString('utf8');
          for (const change of byBlob.get(obj.id) ?? []) {
            const meta = change.commit ? metas.get(change.commit) : undefined;
            yield {
              path: change.path,
              text: content,
              bytes: obj.data.length,
              onlyLines: change.added,
              cacheKey: obj.id,
              ...(meta ? { meta } : {}),
            };
          }
        }
      }
    },
  };
}
