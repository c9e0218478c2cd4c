import { isAscii } from 'node:buffer';
import { ALL_RULES } from '../rules/index.js';
import { matchRule, type RuleHit } from '../rules/match-rule.js';
import type { Rule } from '../rules/rule.js';
import { allowsRule } from './allow-comments.js';
import { findEncodedLayers, mayHaveLayers } from './decode-layers.js';
import { isGenericNoise, isGenericRule, isLockfile, isPlaceholder, publicBlocks } from './false-positives.js';
import { fingerprintOf } from './fingerprint.js';
import { LineIndex } from './line-index.js';
import { compileRules } from './prefilter.js';
import { isMultiline, regionsFor } from './regions.js';
import type { Finding, RuleHits, RuleSet, ScanTextOptions } from './types.js';

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

function genericIdsOf(rules: readonly Rule[]): Set<string> {
  let ids = genericCache.get(rules);
  if (!ids) {
    ids = new Set(rules.filter(isGenericRule).map((r) => r.id));
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

/** Texts up to this size are matched whole: building regions would cost more than it saves. */
const WHOLE_TEXT_BELOW = 8192;

/** The rule's hits, from the regions around its keywords (or the whole text when small or always-run). */
function hitsOf(rule: Rule, text: string, path: string, positions: readonly number[] | undefined): RuleHit[] {
  if (positions !== undefined && rule.keywordFollows) {
    const follows = rule.keywordFollows;
    positions = positions.filter((p) => follows(text, p));
    if (positions.length === 0) return [];
  }
  // Keywords on most lines: the regions would cover the text anyway, so skip building them.
  const dense = positions !== undefined && positions.length * 256 >= text.length;
  if (positions === undefined || dense || text.length <= WHOLE_TEXT_BELOW) return matchRule(rule, text, path);
  const hits: RuleHit[] = [];
  for (const [a, b] of regionsFor(text, positions, isMultiline(rule))) {
    for (const h of matchRule(rule, text.slice(a, b), path)) hits.push({ ...h, index: h.index + a });
  }
  return hits;
}

function rawFindings(
  text: string,
  set: RuleSet,
  path: string,
  minified: number,
  whole: boolean,
  known?: RuleHits[],
): RawFinding[] {
  const located = known ?? set.locate(text);
  if (located.length === 0) return [];
  const lockfile = isLockfile(path);
  const lines = new LineIndex(text);
  let blocks: [number, number][] | undefined;
  const out: RawFinding[] = [];
  for (const { rule: ri, positions } of located) {
    const rule = set.rules[ri]!;
    const generic = isGenericRule(rule);
    if (generic && lockfile) continue;
    for (const hit of hitsOf(rule, text, path, whole ? undefined : positions)) {
      if (isPlaceholder(hit.secret)) continue;
      const l = lines.lineOf(hit.index);
      const line = lines.lineText(l);
      if (generic) {
        if (line.length > minified || isGenericNoise(hit.secret, line)) continue;
        blocks ??= publicBlocks(text);
        if (blocks.some(([s, e]) => hit.index >= s && hit.index < e)) continue;
      }
      if (allowsRule(line, rule.id) || (l > 0 && allowsRule(lines.lineText(l - 1), rule.id))) continue;
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
  const lines = new LineIndex(text, options.firstLine ?? 1);
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
      secret: raw.secret,
      fingerprint: fingerprintOf(raw.rule.id, raw.secret),
      ...(layer ? { layer } : {}),
    });
  };
  const whole = options.wholeText === true;
  // Encoded values whose decoded text a specific rule recognised: a generic hit on the encoded form says less.
  const explained: [number, number][] = [];
  if (options.decodeLayers !== false) {
    for (const layer of findEncodedLayers(text)) {
      const l = lines.lineOf(layer.index);
      const allowed = (id: string) =>
        allowsRule(lines.lineText(l), id) || (l > 0 && allowsRule(lines.lineText(l - 1), id));
      for (const raw of rawFindings(layer.decoded, set, options.path, minified, whole)) {
        if (allowed(raw.rule.id)) continue;
        emit(raw, layer.index, layer.index + layer.length, layer.kind);
        if (!genericIds.has(raw.rule.id)) explained.push([layer.index, layer.index + layer.length]);
      }
    }
  }
  for (const raw of rawFindings(text, set, options.path, minified, whole, known)) {
    const end = raw.index + raw.length;
    if (genericIds.has(raw.rule.id) && explained.some(([a, b]) => raw.index < b && end > a)) continue;
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
  const located = set.locate(data);
  if (located.length === 0 && (options.decodeLayers === false || !mayHaveLayers(data))) return [];
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  // For ASCII content byte offsets are string offsets: the keyword pass need not run again on the string.
  if (isAscii(buf)) return scanLocated(buf.toString('latin1'), options, located);
  return scanText(buf.toString('utf8'), options);
}
