import { compileGlob } from '../policy/path-glob.js';

/** Compile globs once; the matcher answers false for paths that are not valid secret paths instead of throwing. */
export function pathMatcher(globs: readonly string[]): (path: string) => boolean {
  const compiled = globs.map(compileGlob);
  return (path) => {
    try {
      return compiled.some((g) => g.matches(path));
    } catch {
      return false;
    }
  };
}
