import type { Rule } from '../rules/rule.js';

/** Lines of context kept before and after a keyword's line, and the cap in characters on each side. */
const CONTEXT_LINES = 2;
const CONTEXT_CAP = 2048;
/** Multi-line rules (PEM blocks) may match this far past their keyword. */
const MULTILINE_FORWARD = 20_000;

const multilineCache = new WeakMap<Rule, boolean>();

/** True when a rule's pattern can span many lines (`[\s\S]`, `[^]`, `\n`, or the `s` flag). */
export function isMultiline(rule: Rule): boolean {
  let m = multilineCache.get(rule);
  if (m === undefined) {
    const src = rule.pattern.source;
    m = rule.pattern.flags.includes('s') || /\[\\s\\S\]|\[\\S\\s\]|\[\^\]|\\n|\\r/.test(src);
    multilineCache.set(rule, m);
  }
  return m;
}

function back(text: string, from: number): number {
  const floor = Math.max(0, from - CONTEXT_CAP);
  let at = text.lastIndexOf('\n', from - 1);
  for (let i = 0; i < CONTEXT_LINES && at > floor; i++) at = text.lastIndexOf('\n', at - 1);
  return Math.max(at + 1, floor);
}

function forward(text: string, from: number, multiline: boolean): number {
  const cap = Math.min(text.length, from + (multiline ? MULTILINE_FORWARD : CONTEXT_CAP));
  let at = text.indexOf('\n', from);
  for (let i = 0; i < CONTEXT_LINES && at !== -1 && at < cap; i++) at = text.indexOf('\n', at + 1);
  return multiline ? cap : Math.min(at === -1 ? text.length : at, cap);
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
