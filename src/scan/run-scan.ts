import type { Baseline } from './engine/baseline.js';
import { binaryFindings } from './engine/binary-findings.js';
import { scanBytes, scanText } from './engine/scan-text.js';
import { scanWindows } from './engine/scan-windows.js';
import { type Finding, ScanInterrupted } from './engine/types.js';
import { ALL_RULES } from './rules/index.js';
import type { Rule } from './rules/rule.js';
import { type ScanSource, type ScanUnit, type SourceWarning, textOf } from './sources/source.js';

/** Options of a scan run (the sources are built by the caller). */
export interface RunScanOptions {
  readonly rules?: readonly Rule[];
  readonly baseline?: Baseline;
  /** Stop after this many milliseconds and report what was scanned (result.timedOut = true). */
  readonly timeBudgetMs?: number;
  /** Called after each unit with cumulative bytes (progress bars). */
  readonly onProgress?: (bytes: number, units: number) => void;
  /** Called with each new finding as soon as it is known (streaming output, e.g. stdin). */
  readonly onFinding?: (f: Finding) => void;
  readonly now?: () => number;
  /**
   * History scans: report a secret once per path (the earliest commit), not once per blob version that still
   * carries it. Streaming `onFinding` is unaffected.
   */
  readonly collapse?: boolean;
  /**
   * Sees every scanned text (`firstLine` for windows of a stream), e.g. to collect `--known` candidates. A unit
   * whose cacheKey was already scanned is shown with empty text (the consumer reuses what it kept for the key).
   */
  readonly onText?: (text: string, unit: ScanUnit, firstLine: number) => void;
}

function collapseHistory(findings: readonly Finding[]): Finding[] {
  const first = new Map<string, Finding>();
  for (const f of findings) {
    const key = `${f.ruleId}:${f.fingerprint}:${f.path}`;
    const prev = first.get(key);
    if (!prev || Date.parse(f.date ?? '') < Date.parse(prev.date ?? '')) first.set(key, f);
  }
  return [...first.values()];
}

/** The outcome of a scan: a result, not an exception, because partial failure is normal for a scanner. */
export interface ScanResult {
  readonly findings: Finding[];
  /** Findings suppressed by the baseline. */
  readonly baselined: number;
  readonly units: number;
  readonly bytes: number;
  readonly elapsedMs: number;
  readonly warnings: SourceWarning[];
  readonly timedOut: boolean;
}

/** Findings of one unit, handed to `each` as soon as known (a stream's findings arrive window by window). */
async function findingsOf(
  unit: ScanUnit,
  rules: readonly Rule[],
  each: (f: Finding) => void,
  onText: RunScanOptions['onText'],
  expired: (() => boolean) | undefined,
): Promise<Finding[]> {
  const budget = expired ? { expired } : {};
  if (onText) {
    if (unit.data !== undefined) onText(textOf(unit.data), unit, 1);
    else if (unit.text !== undefined) onText(unit.text, unit, 1);
  }
  if (unit.binaryHead !== undefined) {
    const found = binaryFindings(unit.path, unit.bytes, unit.binaryHead);
    for (const f of found) each(f);
    return found;
  }
  if (unit.data !== undefined || unit.text !== undefined) {
    const found =
      unit.data !== undefined
        ? scanBytes(unit.data, { path: unit.path, rules, ...budget })
        : scanText(unit.text ?? '', { path: unit.path, rules, ...budget });
    for (const f of found) each(f);
    return found;
  }
  const out: Finding[] = [];
  if (unit.chunks) {
    const windows = unit.eager ? { windowSize: 256 << 10, overlap: 4 << 10, eager: true } : {};
    const chunks = onText ? teeChunks(unit.chunks, (text, line) => onText(text, unit, line)) : unit.chunks;
    for await (const f of scanWindows(chunks, { path: unit.path, rules, ...windows, ...budget })) {
      out.push(f);
      each(f);
    }
  }
  return out;
}

/** Pass chunks through, showing each to `see` with the line number it starts on. */
async function* teeChunks(
  chunks: AsyncIterable<string>,
  see: (text: string, firstLine: number) => void,
): AsyncGenerator<string> {
  let line = 1;
  for await (const chunk of chunks) {
    see(chunk, line);
    for (let i = chunk.indexOf('\n'); i >= 0; i = chunk.indexOf('\n', i + 1)) line++;
    yield chunk;
  }
}

function stamp(f: Finding, unit: ScanUnit): Finding {
  return { ...f, path: unit.path, ...(unit.meta ?? {}) };
}

/**
 * Run a scan over one or more sources: each unit is scanned once (units sharing a cacheKey reuse findings), the
 * added-lines filter and the baseline apply, and the time budget is checked between units and inside each one (so
 * one huge file or line cannot hold a pre-receive hook past its budget).
 *
 * @example
 * const result = await runScan([fsSource({ roots: ['.'] })], { rules: ALL_RULES });
 */
export async function runScan(
  sources: readonly ScanSource[],
  options: RunScanOptions = {},
): Promise<ScanResult> {
  const rules = options.rules ?? ALL_RULES;
  const now = options.now ?? Date.now;
  const started = now();
  const warnings: SourceWarning[] = [];
  const warn = (w: SourceWarning) => warnings.push(w);
  const cache = new Map<string, Finding[]>();
  const all: Finding[] = [];
  const known = new Set(options.baseline?.findings.map((f) => f.fingerprint) ?? []);
  let baselined = 0;
  let units = 0;
  let bytes = 0;
  let timedOut = false;
  const budget = options.timeBudgetMs;
  const expired = budget === undefined ? undefined : () => now() - started > budget;
  outer: for (const source of sources) {
    for await (const unit of source.units(warn)) {
      if (expired?.()) {
        timedOut = true;
        break outer;
      }
      const each = (f: Finding): void => {
        if (unit.onlyLines && !unit.onlyLines.has(f.line)) return;
        if (known.has(f.fingerprint)) {
          baselined++;
          return;
        }
        const stamped = stamp(f, unit);
        all.push(stamped);
        options.onFinding?.(stamped);
      };
      const cached = unit.cacheKey ? cache.get(unit.cacheKey) : undefined;
      if (cached) {
        for (const f of cached) each(f);
        if (options.onText) options.onText('', unit, 1);
      } else {
        let found: Finding[];
        try {
          found = await findingsOf(unit, rules, each, options.onText, expired);
        } catch (err) {
          if (!(err instanceof ScanInterrupted)) throw err;
          // Findings made before the interruption were already reported through `each`.
          timedOut = true;
          break outer;
        }
        if (unit.cacheKey) cache.set(unit.cacheKey, found);
      }
      units++;
      bytes += unit.bytes;
      options.onProgress?.(bytes, units);
    }
  }
  return {
    findings: options.collapse ? collapseHistory(all) : all,
    baselined,
    units,
    bytes,
    elapsedMs: now() - started,
    warnings,
    timedOut,
  };
}
