import { shannonEntropy } from '../entropy.js';
import type { Rule, RuleHit, RuleMatchContext } from './rule.js';

export type { RuleHit } from './rule.js';

const globalCache = new WeakMap<RegExp, RegExp>();
const stickyCache = new WeakMap<RegExp, RegExp>();

/** The pattern with `flag` added (and `d`), compiled once per pattern. */
function withFlag(cache: WeakMap<RegExp, RegExp>, pattern: RegExp, flag: string): RegExp {
  let g = cache.get(pattern);
  if (!g) {
    // `d` gives exact capture offsets, so the reported index is the secret's even when its text also occurs
    // earlier in the match (e.g. inside the assigned name).
    const flags = new Set([...pattern.flags, flag, 'd']);
    g = new RegExp(pattern.source, [...flags].join(''));
    cache.set(pattern, g);
  }
  g.lastIndex = 0;
  return g;
}

/**
 * The pattern's successive matches in `text`, as a global `exec` loop finds them (leftmost first, each after the
 * previous one's end). With an anchor, only the starts where the anchor's literal sits at its offset are tried, with
 * a sticky copy of the pattern: every match starts at such a place, so the matches are the same.
 */
function* matchesOf(rule: Rule, text: string): Generator<RegExpExecArray> {
  const anchor = rule.anchor;
  if (!anchor) {
    const re = withFlag(globalCache, rule.pattern, 'g');
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      if (m[0].length === 0) re.lastIndex++;
      else yield m;
    }
    return;
  }
  const re = withFlag(stickyCache, rule.pattern, 'y');
  const { literal, offset } = anchor;
  let from = 0;
  for (let at = text.indexOf(literal, offset); at !== -1; at = text.indexOf(literal, from + offset)) {
    re.lastIndex = at - offset;
    const m = re.exec(text);
    if (m !== null && m[0].length > 0) {
      from = m.index + m[0].length;
      yield m;
    } else from = at - offset + 1;
  }
}

/** Characters of a line kept on each side of a match for validators: bounded, so a huge line costs no more per hit. */
const LINE_CONTEXT = 2048;

/** The line around `index`, cut to {@link LINE_CONTEXT} characters each side (searching further made long lines quadratic). */
function lineAround(text: string, index: number): string {
  const floor = Math.max(0, index - LINE_CONTEXT);
  const before = text.slice(floor, index).lastIndexOf('\n');
  const start = before === -1 ? floor : floor + before + 1;
  const after = text.slice(index, index + LINE_CONTEXT).indexOf('\n');
  return text.slice(start, after === -1 ? Math.min(text.length, index + LINE_CONTEXT) : index + after);
}

/**
 * The secret of a match and its span: the first defined group whose name starts with `secret` (JS forbids duplicate
 * group names, so alternatives use `secret`, `secret2`...). A pattern with other named groups (`kind`, `body`) but
 * no defined secret group yields the whole match, because its group 1 is a label, not the secret (a PEM block's
 * `kind` would make every RSA key share one fingerprint). Patterns without named groups: group 1, else the match.
 */
function secretOf(m: RegExpExecArray): { secret: string; span?: [number, number] } {
  if (m.groups) {
    for (const [name, value] of Object.entries(m.groups)) {
      if (value !== undefined && name.startsWith('secret'))
        return { secret: value, span: m.indices?.groups?.[name] };
    }
    return { secret: m[0], span: m.indices?.[0] };
  }
  return m[1] !== undefined ? { secret: m[1], span: m.indices?.[1] } : { secret: m[0], span: m.indices?.[0] };
}

/**
 * Run one rule over `text` (no prefilter): pattern, entropy gate, then the rule's own validation. Stops after
 * `limit` hits (the regex sandbox bounds what an untrusted rule may hold and send).
 */
export function matchRule(rule: Rule, text: string, path = '', limit = Number.POSITIVE_INFINITY): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const m of matchesOf(rule, text)) {
    const { secret, span } = secretOf(m);
    const index = span ? span[0] : m.index + Math.max(0, m[0].indexOf(secret));
    if (rule.minEntropy !== undefined && shannonEntropy(secret) < rule.minEntropy) continue;
    if (rule.validate) {
      const ctx: RuleMatchContext = { secret, match: m[0], line: lineAround(text, index), path };
      if (!rule.validate(ctx)) continue;
    }
    hits.push({ ruleId: rule.id, secret, index, match: m[0] });
    if (hits.length >= limit) break;
  }
  return hits;
}
