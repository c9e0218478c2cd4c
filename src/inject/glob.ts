/**
 * Match a path glob: `*` matches within one segment, `**` any number of segments, `?` one character; everything
 * else is literal. Built by hand (no RegExp from user text) so a pattern cannot be a regex injection.
 *
 * @example
 * globMatches('db/*', 'db/password'); // true
 * globMatches('**', 'a/b/c'); // true
 */
export function globMatches(glob: string, path: string): boolean {
  return matchAt(glob, 0, path, 0);
}

function matchAt(glob: string, gi: number, path: string, pi: number): boolean {
  while (gi < glob.length) {
    const c = glob[gi];
    if (c === '*' && glob[gi + 1] === '*') {
      let next = gi + 2;
      // `**/` may also match zero segments.
      if (glob[next] === '/') next += 1;
      for (let k = pi; k <= path.length; k++) if (matchAt(glob, next, path, k)) return true;
      return false;
    }
    if (c === '*') {
      for (let k = pi; k <= path.length; k++) {
        if (matchAt(glob, gi + 1, path, k)) return true;
        if (path[k] === '/') return false;
      }
      return false;
    }
    if (pi >= path.length) return false;
    if (c === '?' ? path[pi] === '/' : c !== path[pi]) return false;
    gi += 1;
    pi += 1;
  }
  return pi === path.length;
}
