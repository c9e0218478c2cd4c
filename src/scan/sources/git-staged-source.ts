import { parseAddedLines } from './diff-added-lines.js';
import { gitOutput } from './git-process.js';
import { excludedBy } from './path-filter.js';
import { looksBinary, type ScanSource } from './source.js';

/**
 * The pre-commit source: the index version of each staged file (`git show :path`), reporting only findings on
 * the lines the staged diff adds, so old findings elsewhere in a touched file do not block the commit.
 */
export function gitStagedSource(options: {
  readonly cwd: string;
  readonly exclude?: readonly string[];
}): ScanSource {
  const skip = excludedBy(options.exclude);
  return {
    async *units() {
      const { cwd } = options;
      const names = (await gitOutput(cwd, ['diff', '--cached', '--name-only', '-z', '--diff-filter=ACMR']))
        .toString('utf8')
        .split('\0')
        .filter(Boolean);
      if (names.length === 0) return;
      const patch = await gitOutput(cwd, [
        'diff',
        '--cached',
        '-U0',
        '--no-renames',
        '--no-color',
        '--no-ext-diff',
      ]);
      const added = new Map(parseAddedLines(patch.toString('utf8')).map((c) => [c.path, c.added]));
      for (const path of names) {
        const lines = added.get(path);
        if (!lines || lines.size === 0 || skip(path)) continue;
        const data = await gitOutput(cwd, ['show', `:${path}`]);
        if (looksBinary(data)) continue;
        yield { path, text: data.toString('utf8'), bytes: data.length, onlyLines: lines };
      }
    },
  };
}
