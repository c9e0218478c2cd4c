import { catFileBatch, gitOutput } from './git-process.js';
import { gitRangeSource, type RefUpdate, revArgsFor } from './git-range-source.js';
import { excludedBy } from './path-filter.js';
import { looksBinary, type ScanSource } from './source.js';

const ZERO = /^0+$/;

/** What each pushed id is once tags are peeled: `git cat-file --batch-check` on `<id>^{}`. */
async function peeledTypes(
  cwd: string,
  ids: readonly string[],
): Promise<Map<string, { id: string; type: string }>> {
  const out = new Map<string, { id: string; type: string }>();
  if (ids.length === 0) return out;
  const text = (await gitOutput(cwd, ['cat-file', '--batch-check'], ids.map((id) => `${id}^{}\n`).join('')))
    .toString('utf8')
    .split('\n');
  ids.forEach((id, i) => {
    const [peeled, type] = (text[i] ?? '').split(' ');
    if (peeled && type && type !== 'missing') out.set(id, { id: peeled, type });
  });
  return out;
}

/**
 * The pre-receive source: commits pushed (see gitRangeSource), and refs pushed straight at a blob or a tree (or a
 * tag of one), which no commit walk sees: such a tree's new blobs, or the blob, are scanned whole, located as
 * `<ref>:<path>`.
 */
export function gitPushSource(options: {
  readonly cwd: string;
  readonly updates: readonly RefUpdate[];
  readonly exclude?: readonly string[];
}): ScanSource {
  const skip = excludedBy(options.exclude);
  return {
    async *units(warn) {
      const { cwd, updates } = options;
      const live = updates.filter((u) => !ZERO.test(u.newId));
      const types = await peeledTypes(cwd, [...new Set(live.flatMap((u) => [u.oldId, u.newId]))]);
      const revArgs: string[][] = [];
      const objects: { ref: string; id: string }[] = [];
      for (const u of live) {
        const target = types.get(u.newId);
        if (target?.type === 'commit') {
          // A ref that pointed at something else before: everything no existing ref has is new.
          const old = types.get(u.oldId)?.type === 'commit' ? u : { ...u, oldId: '0'.repeat(u.oldId.length) };
          revArgs.push(revArgsFor(old)!);
        } else if (target?.type === 'blob' || target?.type === 'tree') {
          objects.push({ ref: u.ref, id: target.id });
        } else {
          warn({
            path: u.ref,
            message: `pushed object ${u.newId.slice(0, 12)} could not be read; not scanned`,
          });
        }
      }
      if (revArgs.length > 0)
        yield* gitRangeSource({ cwd, revArgs, exclude: options.exclude ?? [] }).units(warn);
      for (const { ref, id } of objects) {
        const listing = (await gitOutput(cwd, ['rev-list', '--objects', id, '--not', '--all']))
          .toString('utf8')
          .split('\n')
          .filter(Boolean);
        const names = new Map<string, string>();
        for (const line of listing) {
          const sp = line.indexOf(' ');
          const oid = sp < 0 ? line : line.slice(0, sp);
          const path = sp < 0 ? '' : line.slice(sp + 1);
          if (!names.has(oid)) names.set(oid, path === '' ? ref : `${ref}:${path}`);
        }
        for await (const obj of catFileBatch(cwd, names.keys())) {
          const path = names.get(obj.id) ?? ref;
          if (obj.type !== 'blob' || skip(path) || looksBinary(obj.data)) continue;
          yield { path, data: obj.data, bytes: obj.data.length, cacheKey: obj.id };
        }
      }
    },
  };
}
