import { HushError } from '../errors/hush-error.js';
import { hushError } from '../errors/index.js';

/**
 * Policy path globs, compiled once into segment matchers (no regular expressions are built from policy text, so
 * nothing in a policy can inject regex syntax or cause catastrophic backtracking).
 *
 * Semantics (paths are `/`-separated segments, e.g. `payments/prod/db/password`):
 * - a literal segment matches itself exactly (case-sensitive);
 * - `*` inside a segment matches any run of characters within that segment (`db-*` matches `db-main`);
 *   a segment that is only `*` therefore matches exactly one segment;
 * - `+` as a whole segment matches exactly one segment (Vault's spelling of the same thing);
 * - `**` as a whole segment matches zero or more whole segments (`payments/**` matches `payments`,
 *   `payments/prod` and `payments/prod/db/password`; `a/**\/z` matches `a/z` and `a/b/c/z`).
 */
export type GlobSegment =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'wild'; readonly parts: readonly string[] }
  | { readonly kind: 'one' }
  | { readonly kind: 'globstar' };

/** A compiled path glob. */
export interface PathGlob {
  /** The pattern as written in the policy. */
  readonly pattern: string;
  readonly segments: readonly GlobSegment[];
  /** True when the glob matches `path` exactly. */
  matches(path: string): boolean;
  /** Like `matches`, for a path already split into segments (avoids re-splitting in hot loops). */
  matchesSegments(segments: readonly string[]): boolean;
  /** True when the glob can match at least one path strictly beneath the folder `prefix`. */
  canMatchBeneath(prefix: string): boolean;
  /** True when the glob matches every path strictly beneath the folder `prefix`. */
  coversSubtree(prefix: string): boolean;
}

/** Longest pattern accepted, so a policy cannot make matching arbitrarily expensive. */
export const MAX_PATTERN_LENGTH = 512;

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what we reject
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Why `pattern` is not a valid policy glob, or undefined when it is. */
export function globProblem(pattern: string): string | undefined {
  if (pattern.length === 0) return 'the path pattern is empty; use `**` to match every path';
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return `the path pattern is ${pattern.length} characters; the limit is ${MAX_PATTERN_LENGTH}`;
  }
  if (CONTROL.test(pattern)) return 'the path pattern contains a control character';
  if (pattern.startsWith('/') || pattern.endsWith('/')) {
    return `path pattern "${pattern}" must not start or end with "/"; write it like "payments/prod/*"`;
  }
  for (const seg of pattern.split('/')) {
    if (seg === '') return `path pattern "${pattern}" has an empty segment ("//")`;
    if (seg === '.' || seg === '..') return `path pattern "${pattern}" contains a "${seg}" segment`;
    if (seg.includes('**') && seg !== '**') {
      return `path pattern "${pattern}": "**" must be a whole segment (like "a/**/b"), found "${seg}"`;
    }
  }
  return undefined;
}

/** Split a concrete secret path into segments; throws HUSH_E_INVALID_ADDRESS on empty segments. */
export function splitPath(path: string): string[] {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return [];
  const segs = trimmed.split('/');
  if (segs.some((s) => s === '')) {
    throw hushError('PATH_EMPTY_SEGMENT', { path });
  }
  return segs;
}

/**
 * Compile a policy glob. Throws HUSH_E_INVALID_INPUT when the pattern is malformed.
 *
 * @example
 * compileGlob('payments/*\/db/**').matches('payments/prod/db/password'); // true
 */
export function compileGlob(pattern: string): PathGlob {
  const problem = globProblem(pattern);
  if (problem) throw new HushError('HUSH_E_INVALID_INPUT', problem);
  const segments: GlobSegment[] = [];
  for (const seg of pattern.split('/')) {
    const s = compileSegment(seg);
    // `**/**` means the same as `**`; collapsing keeps state sets small.
    if (s.kind === 'globstar' && segments.at(-1)?.kind === 'globstar') continue;
    segments.push(s);
  }
  return {
    pattern,
    segments,
    matches: (path) => accepts(segments, run(segments, splitPath(path))),
    matchesSegments: (path) => accepts(segments, run(segments, path)),
    canMatchBeneath: (prefix) => [...run(segments, splitPath(prefix))].some((j) => j < segments.length),
    coversSubtree: (prefix) => coversAllContinuations(segments, run(segments, splitPath(prefix))),
  };
}

function compileSegment(seg: string): GlobSegment {
  if (seg === '**') return { kind: 'globstar' };
  if (seg === '+' || seg === '*') return { kind: 'one' };
  if (!seg.includes('*')) return { kind: 'literal', text: seg };
  return { kind: 'wild', parts: seg.split('*') };
}

/** Does one glob segment match one path segment? */
function segmentMatches(g: GlobSegment, s: string): boolean {
  switch (g.kind) {
    case 'literal':
      return g.text === s;
    case 'one':
    case 'globstar':
      return true;
    case 'wild':
      return wildMatches(g.parts, s);
  }
}

/** `parts` are the literal pieces between `*`s: first anchors the start, last anchors the end, middles in order. */
function wildMatches(parts: readonly string[], s: string): boolean {
  const first = parts[0] ?? '';
  const last = parts[parts.length - 1] ?? '';
  if (s.length < first.length + last.length || !s.startsWith(first) || !s.endsWith(last)) return false;
  let pos = first.length;
  const end = s.length - last.length;
  // Greedy leftmost placement of each middle piece is optimal for `*`-only wildcards.
  for (let i = 1; i < parts.length - 1; i++) {
    const piece = parts[i] ?? '';
    const at = s.indexOf(piece, pos);
    if (at < 0 || at + piece.length > end) return false;
    pos = at + piece.length;
  }
  return true;
}

/** NFA simulation over pattern positions: the set of positions reachable after consuming `path`. */
function run(segments: readonly GlobSegment[], path: readonly string[]): Set<number> {
  let states = closure(segments, new Set([0]));
  for (const seg of path) {
    const next = new Set<number>();
    for (const j of states) {
      const g = segments[j];
      if (!g) continue;
      if (g.kind === 'globstar') next.add(j);
      else if (segmentMatches(g, seg)) next.add(j + 1);
    }
    states = closure(segments, next);
    if (states.size === 0) break;
  }
  return states;
}

/** Add the positions reachable by letting a `**` match zero segments. */
function closure(segments: readonly GlobSegment[], states: Set<number>): Set<number> {
  for (const j of [...states].sort((a, b) => a - b)) {
    let k = j;
    while (segments[k]?.kind === 'globstar') states.add(++k);
  }
  return states;
}

function accepts(segments: readonly GlobSegment[], states: Set<number>): boolean {
  return states.has(segments.length);
}

/**
 * True when every non-empty continuation is accepted. The hardest continuation is made of "fresh" segments that no
 * literal or partial wildcard matches (extra matches only add states), so we simulate those until the state set
 * repeats.
 */
function coversAllContinuations(segments: readonly GlobSegment[], start: Set<number>): boolean {
  let states = start;
  const seen = new Set<string>();
  for (;;) {
    const next = new Set<number>();
    for (const j of states) {
      const g = segments[j];
      if (g?.kind === 'globstar') next.add(j);
      else if (g?.kind === 'one') next.add(j + 1);
    }
    states = closure(segments, next);
    if (!accepts(segments, states)) return false;
    const key = [...states].sort((a, b) => a - b).join(',');
    if (seen.has(key)) return true;
    seen.add(key);
  }
}
