import { isAscii } from 'node:buffer';
import { ALL_RULES } from '../rules/index.js';
import { matchRule, type RuleHit } from '../rules/match-rule.js';
import type { Rule } from '../rules/rule.js';
import { allowsRule } from './allow-comments.js';
import { findEncodedLayers, mayHaveLayers } from './decode-layers.js';
import {
  encryptedSpans,
  isGenericNoise,
  isGenericRule,
  isLockfile,
  isPlaceholder,
  publicBlocks,
} from './false-positives.js';
import { fingerprintOf } from './fingerprint.js';
import { LineIndex } from './line-index.js';
import { compileRules } from './prefilter.js';
import { isMultiline, regionsFor } from './regions.js';
import { type Finding, type RuleHits, type RuleSet, ScanInterrupted, type ScanTextOptions } from './types.js';

const compiled = new WeakMap<readonly Rule[], RuleSet>();

/** The compiled rule set for a rules array (cached: compile once per array). */
export function ruleSetFor(rules: readonly Rule[]): RuleSet {
  let set = compiled.get(rules);
  if (!set) {
    set = compileRules(rules);
    compiled.set(rules, set);
  }
  return set;
}

const DEFAULT_MINIFIED = 4096;

const genericCache = new WeakMap<readonly Rule[], Set<string>>();

/** Ids of generic and fallback rules: both yield to a specific rule that found the same value. */
function genericIdsOf(rules: readonly Rule[]): Set<string> {
  let ids = genericCache.get(rules);
  if (!ids) {
    ids = new Set(rules.filter((r) => isGenericRule(r) || r.fallback === true).map((r) => r.id));
    genericCache.set(rules, ids);
  }
  return ids;
}

interface RawFinding {
  readonly rule: Rule;
  readonly secret: string;
  readonly index: number;
  readonly length: number;
}

/**
 * A copy of `s` that does not point into the text it was cut from. V8 keeps a substring as a view of its parent,
 * so a finding's secret would hold its whole window (1 MiB) alive: a 100 MB line with a finding per window held
 * every window. Code units are copied as they are (lone surrogates included).
 */
function detached(s: string): string {
  return s.split('').join('');
}

/** Texts up to this size are matched whole: building regions would cost more than it saves. */
const WHOLE_TEXT_BELOW = 8192;

/** The rule's hits in the given spans of `text` (all of it when none), with offsets into `text`. */
function hitsIn(
  rule: Rule,
  text: string,
  path: string,
  spans: readonly (readonly [number, number])[] | undefined,
): RuleHit[] {
  if (rule.matchOutside) {
    // One round trip for all spans: a sandboxed rule's cost is a message, not a call per region.
    const all = spans ?? [[0, text.length] as const];
    const found = rule.matchOutside(all.map(([a, b]) => text.slice(a, b)));
    return all.flatMap(([a], i) => (found[i] ?? []).map((h) => ({ ...h, index: h.index + a })));
  }
  if (!spans) return matchRule(rule, text, path);
  const hits: RuleHit[] = [];
  for (const [a, b] of spans) {
    for (const h of matchRule(rule, text.slice(a, b), path)) hits.push({ ...h, index: h.index + a });
  }
  return hits;
}

/** Keyword occurrences the rule's cheap pre-check accepts (all of them when it has none). */
function following(rule: Rule, text: string, positions: readonly number[]): readonly number[] {
  const follows = rule.keywordFollows;
  return follows ? positions.filter((p) => follows(text, p)) : positions;
}

/** The rule's hits, from the regions around its keywords (or the whole text when small or always-run). */
function hitsOf(rule: Rule, text: string, path: string, positions: readonly number[] | undefined): RuleHit[] {
  if (positions !== undefined) {
    positions = following(rule, text, positions);
    if (positions.length === 0) return [];
  }
  // Keywords on most lines: the regions would cover the text anyway, so skip building them.
  const dense = positions !== undefined && positions.length * 256 >= text.length;
  const whole = positions === undefined || dense || text.length <= WHOLE_TEXT_BELOW;
  return hitsIn(
    rule,
    text,
    path,
    positions === undefined || whole ? undefined : regionsFor(text, positions, isMultiline(rule)),
  );
}

/**
 * Characters around a keyword that a generic rule searches on a minified-length line: more than any generic
 * pattern spans on either side of its keyword (names of up to 40 characters, values of up to 200, a name/value
 * pair's gap of 200), so windowing finds what the whole line would.
 */
const LONG_LINE_WINDOW = 1024;

/**
 * A generic rule's hits on minified-length lines, searched only in windows of {@link LONG_LINE_WINDOW} around each
 * keyword occurrence (merged where they overlap): padding a line past the minified length cannot hide a
 * `password = "..."`, and the cost stays linear in the line, as the windows are bounded and disjoint.
 */
function longLineHits(rule: Rule, text: string, path: string, positions: readonly number[]): RuleHit[] {
  const spans: [number, number][] = [];
  for (const p of following(rule, text, positions)) {
    const a = Math.max(0, p - LONG_LINE_WINDOW);
    const b = Math.min(text.length, p + LONG_LINE_WINDOW);
    const last = spans[spans.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else spans.push([a, b]);
  }
  return spans.length === 0 ? [] : hitsIn(rule, text, path, spans);
}

/**
 * Whether a `hush:allow` comment on line `l` or the line before covers the rule. Each line's verdict input is
 * computed once per text: a huge line with thousands of hits is searched for the marker once, not once per hit.
 */
function allowedAt(lines: LineIndex, l: number, ruleId: string, memo: Map<number, string | null>): boolean {
  const textOf = (n: number): string | null => {
    let t = memo.get(n);
    if (t === undefined) {
      const line = lines.lineText(n);
      t = line.includes('hush:allow') ? line : null;
      memo.set(n, t);
    }
    return t;
  };
  const here = textOf(l);
  if (here !== null && allowsRule(here, ruleId)) return true;
  if (l === 0) return false;
  const prev = textOf(l - 1);
  return prev !== null && allowsRule(prev, ruleId);
}

/**
 * A test "does [a, b) overlap any of these spans" in O(log n): the spans are sorted and merged once, because a
 * linear search per hit made texts with many hits and many spans quadratic.
 */
export function overlapTest(
  spans: readonly (readonly [number, number])[],
): (a: number, b: number) => boolean {
  const merged: [number, number][] = [];
  for (const [s, e] of [...spans].sort((x, y) => x[0] - y[0])) {
    const last = merged[merged.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  return (a, b) => {
    let lo = 0;
    let hi = merged.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (merged[mid]![0] < b) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found >= 0 && merged[found]![1] > a;
  };
}

/** Throw {@link ScanInterrupted} when the caller's budget is spent. */
function checkBudget(expired: (() => boolean) | undefined): void {
  if (expired?.()) throw new ScanInterrupted();
}

function rawFindings(
  text: string,
  set: RuleSet,
  path: string,
  minified: number,
  whole: boolean,
  expired: (() => boolean) | undefined,
  known?: RuleHits[],
): RawFinding[] {
  const located = known ?? set.locate(text, path);
  if (located.length === 0) return [];
  const lockfile = isLockfile(path);
  let inCiphertext: ((a: number, b: number) => boolean) | undefined;
  const lines = new LineIndex(text);
  const allowMemo = new Map<number, string | null>();
  let inBlock: ((a: number, b: number) => boolean) | undefined;
  const out: RawFinding[] = [];
  for (const { rule: ri, positions } of located) {
    checkBudget(expired);
    const rule = set.rules[ri]!;
    const generic = isGenericRule(rule);
    // Lockfiles hold no plaintext for name-based rules.
    if (generic && lockfile) continue;
    let near = whole ? undefined : positions;
    let windowed: RuleHit[] = [];
    if (generic && positions !== undefined && text.length > minified) {
      // On minified-length lines a generic rule runs only in windows around its keywords (bounded, so linear).
      const long = positions.filter((p) => lines.lineLength(lines.lineOf(p)) > minified);
      if (long.length > 0) {
        windowed = longLineHits(rule, text, path, long);
        near = positions.filter((p) => lines.lineLength(lines.lineOf(p)) <= minified);
      }
    }
    const hits = near === undefined || near.length > 0 ? hitsOf(rule, text, path, near) : [];
    const onLongLines = new Set<string>();
    let n = 0;
    for (const hit of windowed.length > 0 ? hits.concat(windowed) : hits) {
      if ((++n & 255) === 0) checkBudget(expired);
      if (isPlaceholder(hit.secret)) continue;
      const l = lines.lineOf(hit.index);
      if (generic) {
        // A whole-text run also matches on long lines: those are the windows' to report (the length comes from
        // the line index: slicing a megabyte line per hit made long lines quadratic).
        if (n <= hits.length && lines.lineLength(l) > minified) continue;
        // A minified line repeating one assignment (a bundle, or a line built to flood the report) yields each
        // value once per line: one finding per repeat held millions of findings in memory for a 100 MB line.
        if (n > hits.length) {
          const key = `${l}\0${hit.secret}`;
          if (onLongLines.has(key)) continue;
          onLongLines.add(key);
        }
        if (isGenericNoise(hit.secret, lines.lineNear(l, hit.index, 2048))) continue;
        inBlock ??= overlapTest(publicBlocks(text));
        if (inBlock(hit.index, hit.index + 1)) continue;
        // Ciphertext and encryption metadata (SOPS, SealedSecrets, ansible-vault): computed once, on the first hit.
        inCiphertext ??= overlapTest(encryptedSpans(text));
        if (inCiphertext(hit.index, hit.index + hit.secret.length)) continue;
      }
      if (allowedAt(lines, l, rule.id, allowMemo)) continue;
      out.push({ rule, secret: hit.secret, index: hit.index, length: hit.secret.length });
    }
  }
  return out;
}

/**
 * Scan one text (a file, or a window of one) and return its findings, sorted by position. Pure: no I/O.
 *
 * @example
 * const findings = scanText(readFileSync('app.env', 'utf8'), { path: 'app.env' });
 */
export function scanText(text: string, options: ScanTextOptions): Finding[] {
  return scanLocated(text, options, undefined);
}

/** scanText with the prefilter's result already known (from a pass over the same content as ASCII bytes). */
function scanLocated(text: string, options: ScanTextOptions, known: RuleHits[] | undefined): Finding[] {
  const set = ruleSetFor(options.rules ?? ALL_RULES);
  const genericIds = genericIdsOf(set.rules);
  const minified = options.minifiedLineLength ?? DEFAULT_MINIFIED;
  const lines = new LineIndex(text, options.firstLine ?? 1, options.firstColumn ?? 1);
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const emit = (raw: RawFinding, start: number, end: number, layer?: string): void => {
    const key = `${raw.rule.id}:${start}:${raw.secret}`;
    if (seen.has(key)) return;
    seen.add(key);
    const a = lines.position(start);
    const b = lines.position(Math.max(start, end - 1));
    findings.push({
      ruleId: raw.rule.id,
      title: raw.rule.title,
      severity: raw.rule.severity,
      path: options.path,
      line: a.line,
      column: a.column,
      endLine: b.line,
      endColumn: b.column + 1,
      secret: detached(raw.secret),
      fingerprint: fingerprintOf(raw.rule.id, raw.secret),
      ...(layer ? { layer } : {}),
    });
  };
  const whole = options.wholeText === true;
  const expired = options.expired;
  const allowMemo = new Map<number, string | null>();
  // Encoded values whose decoded text a specific rule recognised: a generic hit on the encoded form says less.
  const explained: [number, number][] = [];
  if (options.decodeLayers !== false) {
    for (const layer of findEncodedLayers(text)) {
      const l = lines.lineOf(layer.index);
      for (const raw of rawFindings(layer.decoded, set, options.path, minified, whole, expired)) {
        if (allowedAt(lines, l, raw.rule.id, allowMemo)) continue;
        emit(raw, layer.index, layer.index + layer.length, layer.kind);
        if (!genericIds.has(raw.rule.id)) explained.push([layer.index, layer.index + layer.length]);
      }
    }
  }
  const isExplained = overlapTest(explained);
  for (const raw of rawFindings(text, set, options.path, minified, whole, expired, known)) {
    const end = raw.index + raw.length;
    if (genericIds.has(raw.rule.id) && isExplained(raw.index, end)) continue;
    emit(raw, raw.index, end);
  }
  // A generic rule that caught what a specific rule also caught (a registry password that is an AWS key) adds noise.
  const specific = new Set(findings.filter((f) => !genericIds.has(f.ruleId)).map((f) => f.secret));
  return findings
    .filter((f) => !genericIds.has(f.ruleId) || !specific.has(f.secret))
    .sort((x, y) => x.line - y.line || x.column - y.column || x.ruleId.localeCompare(y.ruleId));
}

/**
 * Scan raw bytes (UTF-8): the prefilter runs on the bytes first, so content with no keyword and no base64 layer
 * context is never decoded to a string (most files of a large tree).
 */
export function scanBytes(data: Uint8Array, options: ScanTextOptions): Finding[] {
  const set = ruleSetFor(options.rules ?? ALL_RULES);
  const located = set.locate(data, options.path);
  if (located.length === 0 && (options.decodeLayers === false || !mayHaveLayers(data))) return [];
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  // For ASCII content byte offsets are string offsets: the keyword pass need not run again on the string.
  if (isAscii(buf)) return scanLocated(buf.toString('latin1'), options, located);
  return scanText(buf.toString('utf8'), options);
}
