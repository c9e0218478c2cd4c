import ignore from 'ignore';

/** A predicate for gitignore-style exclude globs over repository-relative paths (true = skip). */
export function excludedBy(globs: readonly string[] | undefined): (path: string) => boolean {
  if (!globs || globs.length === 0) return () => false;
  const ig = ignore().add([...globs]);
  return (path) => {
    const rel = path.replace(/^\.?\/+/, '');
    return rel !== '' && !rel.startsWith('../') && ig.ignores(rel);
  };
}
