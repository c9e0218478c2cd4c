import { parseAddedLines } from './diff-added-lines.js';
import { catFileBatch, gitOutput, SAFE_DIFF_FLAGS } from './git-process.js';
import { excludedBy } from './path-filter.js';
import { looksBinary, type ScanSource } from './source.js';

/**
 * The pre-commit source: the index version of each staged file, reporting only findings on the lines the staged
 * diff adds, so old findings elsewhere in a touched file do not block the commit. The blobs are read raw through
 * `git cat-file` (never `git show`, which would run the repository's textconv programs).
 */
export function gitStagedSource(options: {
  readonly cwd: string;
  readonly exclude?: readonly string[];
}): ScanSource {
  const skip = excludedBy(options.exclude);
  return {
    async *units() {
      const { cwd } = options;
      const patch = await gitOutput(cwd, [
        'diff',
        '--cached',
        ...SAFE_DIFF_FLAGS,
        '--raw',
        '-p',
        '--no-abbrev',
        '--diff-filter=ACMR',
      ]);
      const byBlob = new Map<string, ReturnType<typeof parseAddedLines>>();
      for (const change of parseAddedLines(patch.toString('utf8'))) {
        if (!change.blob || change.added.size === 0 || skip(change.path)) continue;
        byBlob.set(change.blob, [...(byBlob.get(change.blob) ?? []), change]);
      }
      for await (const obj of catFileBatch(cwd, byBlob.keys())) {
        if (looksBinary(obj.data)) continue;
        const text = obj.data.toString('utf8');
        for (const change of byBlob.get(obj.id) ?? []) {
          yield { path: change.path, text, bytes: obj.data.length, onlyLines: change.added };
        }
      }
    },
  };
}
