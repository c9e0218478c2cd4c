import { LineIndex } from './engine/line-index.js';
import { scanText } from './engine/scan-text.js';
import type { Rule } from './rules/rule.js';

/** Spans of detected secrets in `text`, as offsets, sorted by start (longest first at equal starts). */
function secretSpans(
  text: string,
  rules: readonly Rule[] | undefined,
): { start: number; end: number; id: string }[] {
  // Redaction errs towards masking: generic rules apply on long (minified-length) lines too, unlike `hush scan`.
  const findings = scanText(text, {
    path: '-',
    minifiedLineLength: Number.POSITIVE_INFINITY,
    ...(rules ? { rules } : {}),
  });
  const lines = new LineIndex(text);
  return findings
    .map((f) => ({
      start: lines.offsetOf(f.line, f.column),
      end: lines.offsetOf(f.endLine, f.endColumn),
      id: f.ruleId,
    }))
    .sort((a, b) => a.start - b.start || b.end - a.end);
}

/**
 * Mask the secrets of `text` that lie in [from, to), returning that part only. Spans that straddle `from` were
 * already handled by the previous window; a span straddling `to` is masked whole and its end returned as `next`.
 */
function maskPart(
  text: string,
  from: number,
  to: number,
  rules: readonly Rule[] | undefined,
): { out: string; next: number } {
  let out = '';
  let at = from;
  let next = to;
  for (const s of secretSpans(text, rules)) {
    if (s.end <= at || s.start >= next) continue;
    out += text.slice(at, Math.max(at, s.start));
    out += `[REDACTED:${s.id}]`;
    at = s.end;
    if (at > next) next = at;
  }
  return { out: out + text.slice(at, next), next };
}

/**
 * Replace every detected secret in `text` with a fixed mask (`[REDACTED:rule-id]`), keeping everything else
 * byte for byte. Secrets found in decoded layers mask the whole encoded value.
 */
export function redactText(text: string, rules?: readonly Rule[], _path = '-'): string {
  return maskPart(text, 0, text.length, rules).out;
}

/** Options of {@link redactStream}; the defaults suit log pipelines. */
export interface RedactWindow {
  /** A line longer than this is redacted in windows of this many characters (default 64 KiB). */
  readonly windowSize?: number;
  /** Characters of context each window sees before and after its part, so a secret at an edge is masked. */
  readonly overlap?: number;
}

/**
 * Redact a live stream line by line: complete lines are masked and written as they arrive (a partial last line
 * waits for its newline), so `kubectl logs -f | hush redact` keeps flowing. A line longer than the window is
 * masked in overlapping windows, so memory and time stay linear whatever the line length.
 */
export async function redactStream(
  input: AsyncIterable<string>,
  write: (s: string) => void | Promise<void>,
  rules?: readonly Rule[],
  window: RedactWindow = {},
): Promise<number> {
  const size = window.windowSize ?? 64 << 10;
  const overlap = Math.min(window.overlap ?? 4 << 10, size >> 2);
  /** Text not written yet, preceded by `context` characters that were written (kept for the rules' look-behind). */
  let pending = '';
  let context = 0;
  let masked = 0;
  const emit = async (text: string, from: number, to: number): Promise<number> => {
    const { out, next } = maskPart(text, from, to, rules);
    if (out !== text.slice(from, next)) masked++;
    await write(out);
    return next;
  };
  for await (const chunk of input) {
    pending += chunk;
    // More than a window waiting: write whole lines when the window holds a newline, else cut inside the long line
    // and keep `overlap` characters before the cut as context for the next window.
    while (pending.length - context >= size + overlap) {
      const nl = pending.lastIndexOf('\n', context + size);
      const to = nl >= context ? nl + 1 : context + size;
      const next = await emit(pending, context, to);
      const keep = nl >= context ? next : Math.max(0, next - overlap);
      pending = pending.slice(keep);
      context = next - keep;
    }
    const nl = pending.lastIndexOf('\n');
    if (nl < context) continue;
    const next = await emit(pending, context, nl + 1);
    pending = pending.slice(next);
    context = 0;
  }
  if (pending.length > context) await emit(pending, context, pending.length);
  return masked;
}
