import fc from 'fast-check';
import { describe, it } from 'vitest';
import { compileGlob } from './path-glob.js';

/** Independent reference: a regex built from a pattern over a safe alphabet (test-only). */
function reference(pattern: string): RegExp {
  const segs = pattern.split('/').filter((s, i, all) => !(s === '**' && all[i - 1] === '**'));
  let re = '';
  segs.forEach((seg, i) => {
    const sep = i === 0 ? '' : '/';
    if (seg === '**') re += i === 0 ? '(?:[^/]+/)*' : '(?:/[^/]+)*';
    else {
      const body = seg === '+' ? '[^/]+' : seg.replaceAll('*', '[^/]*');
      re += (i > 0 && segs[i - 1] === '**' && i - 1 === 0 ? '' : sep) + body;
    }
  });
  if (segs.every((s) => s === '**')) re = '[^/]+(?:/[^/]+)*';
  return new RegExp(`^${re}$`);
}

const seg = fc.constantFrom('a', 'b', 'ab', 'ba');
const pathArb = fc.array(seg, { minLength: 1, maxLength: 5 });
const patternArb = fc
  .array(fc.constantFrom('a', 'b', '*', '+', '**', 'a*', '*b', 'a*b'), { minLength: 1, maxLength: 5 })
  .map((s) => s.join('/'));
const extensions: string[][] = [];
for (const x of ['a', 'b', 'ab', 'zz']) {
  extensions.push([x]);
  for (const y of ['a', 'b', 'zz']) {
    extensions.push([x, y]);
    for (const z of ['a', 'zz']) extensions.push([x, y, z]);
  }
}

describe('path glob properties', () => {
  it('matches exactly what the reference regex matches', () => {
    fc.assert(
      fc.property(patternArb, pathArb, (pattern, path) => {
        const p = path.join('/');
        return compileGlob(pattern).matches(p) === reference(pattern).test(p);
      }),
      { numRuns: 2000 },
    );
  });

  it('canMatchBeneath and coversSubtree agree with enumerated extensions', () => {
    fc.assert(
      fc.property(patternArb, fc.array(seg, { maxLength: 3 }), (pattern, prefix) => {
        const g = compileGlob(pattern);
        const p = prefix.join('/');
        const results = extensions.map((e) => g.matches([...prefix, ...e].join('/')));
        if (g.coversSubtree(p) && results.includes(false)) return false;
        if (!g.canMatchBeneath(p) && results.includes(true)) return false;
        return true;
      }),
      { numRuns: 2000 },
    );
  });
});
