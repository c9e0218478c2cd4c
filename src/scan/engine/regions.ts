import type { Rule } from '../rules/rule.js';

/** Lines of context kept before and after a keyword's line, and the cap in characters on each side. */
const CONTEXT_LINES = 2;
const CONTEXT_CAP = 2048;
/** Multi-line rules (PEM blocks) may match this far past their keyword. */
const MULTILINE_FORWARD = 20_000;

const multilineCache = new WeakMap<Rule, boolean>();

/** A quantifier that allows more than a few repetitions: `*`, `+`, `{n,}`, or `{n,m}` with m > 8. */
const LARGE_QUANTIFIER = String.raw`(?:\*|\+|\{\d+,(?:\d{2,}|9)?\})`;
/** Character classes that can match a newline: `\s`, `[\s...]`, or a negated class without `\s`/`\n`. */
const NEWLINE_CLASS = String.raw`(?:\\s|\[(?!\^)(?:[^\]\\]|\\.)*\\s(?:[^\]\\]|\\.)*\]|\[\^(?:(?!\\s|\\n)(?:[^\]\\]|\\.))*\])`;
const SPANS_LINES = [
  /\[\\s\\S\]|\[\\S\\s\]|\[\^\]|\\n|\\r|\[\\w\\W\]|\[\\d\\D\]/,
  new RegExp(`${NEWLINE_CLASS}${LARGE_QUANTIFIER}`),
];
/** A group with a large quantifier, in a pattern that can match whitespace somewhere. */
const QUANTIFIED_GROUP = new RegExp(`\\)${LARGE_QUANTIFIER}`);

/**
 * True when a rule's pattern may span more than a couple of lines (PEM bodies, `[^-]{40,}`, `\s*` runs), so its
 * regions extend far forward. Conservative on purpose: a wrong "yes" costs speed, a wrong "no" a missed secret,
 * and the property test against whole-text matching guards it.
 */
export function isMultiline(rule: Rule): boolean {
  let m = multilineCache.get(rule);
  if (m === undefined) {
    const src = rule.pattern.source;
    m =
      rule.pattern.flags.includes('s') ||
      SPANS_LINES.some((re) => re.test(src)) ||
      (QUANTIFIED_GROUP.test(src) && new RegExp(NEWLINE_CLASS).test(src));
    multilineCache.set(rule, m);
  }
  return m;
}

/**
 * The last newline at or before `pos` and at or after `floor`, else -1. Bounded on purpose: `lastIndexOf` searches to
 * the start of the text, so on a minified line (no newline) every keyword occurrence cost the whole line before it.
 */
function newlineBack(text: string, pos: number, floor: number): number {
  for (let i = pos; i >= floor; i--) if (text.charCodeAt(i) === 10) return i;
  return -1;
}

/** The first newline at or after `pos` and before `cap`, else -1 (bounded for the same reason as newlineBack). */
function newlineForward(text: string, pos: number, cap: number): number {
  for (let i = pos; i < cap; i++) if (text.charCodeAt(i) === 10) return i;
  return -1;
}

// A newline outside [floor, cap) is treated as none: either way the span ends at the cap.
function back(text: string, from: number): number {
  const floor = Math.max(0, from - CONTEXT_CAP);
  let at = newlineBack(text, from - 1, floor);
  for (let i = 0; i < CONTEXT_LINES && at > floor; i++) at = newlineBack(text, at - 1, floor);
  return Math.max(at + 1, floor);
}

function forward(text: string, from: number, multiline: boolean): number {
  const cap = Math.min(text.length, from + (multiline ? MULTILINE_FORWARD : CONTEXT_CAP));
  if (multiline) return cap;
  let at = newlineForward(text, from, cap);
  for (let i = 0; i < CONTEXT_LINES && at !== -1; i++) at = newlineForward(text, at + 1, cap);
  return at === -1 ? cap : at;
}

/**
 * The spans of `text` a rule's regex needs to see: each keyword's line with a little context, merged. Running the
 * (often look-behind heavy) rule patterns only there, not over whole files, is what keeps the scan fast.
 */
export function regionsFor(
  text: string,
  positions: readonly number[],
  multiline: boolean,
): [number, number][] {
  const out: [number, number][] = [];
  for (const p of positions) {
    const start = back(text, p);
    const end = forward(text, p, multiline);
    const last = out[out.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}
