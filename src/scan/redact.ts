import { scanText } from './engine/scan-text.js';
import type { Rule } from './rules/rule.js';

/** Offset of a 1-based line/column in `text`, given the offsets where lines start. */
function offsetOf(starts: readonly number[], line: number, column: number): number {
  return (starts[line - 1] ?? 0) + column - 1;
}

/**
 * Replace every detected secret in `text` with a fixed mask (`[REDACTED:rule-id]`), keeping everything else
 * byte for byte. Secrets found in decoded layers mask the whole encoded value.
 */
export function redactText(text: string, rules?: readonly Rule[], path = '-'): string {
  const findings = scanText(text, { path, ...(rules ? { rules } : {}) });
  if (findings.length === 0) return text;
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const spans = findings
    .map((f) => ({
      start: offsetOf(starts, f.line, f.column),
      end: offsetOf(starts, f.endLine, f.endColumn),
      id: f.ruleId,
    }))
    .sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let at = 0;
  for (const s of spans) {
    if (s.end <= at) continue;
    out += text.slice(at, Math.max(at, s.start));
    out += `[REDACTED:${s.id}]`;
    at = s.end;
  }
  return out + text.slice(at);
}

/**
 * Redact a live stream line by line: complete lines are masked and written as they arrive (a partial last line
 * waits for its newline), so `kubectl logs -f | hush redact` keeps flowing.
 */
export async function redactStream(
  input: AsyncIterable<string>,
  write: (s: string) => void | Promise<void>,
  rules?: readonly Rule[],
): Promise<number> {
  let pending = '';
  let masked = 0;
  const emit = async (text: string) => {
    const red = redactText(text, rules);
    if (red !== text) masked++;
    await write(red);
  };
  for await (const chunk of input) {
    pending += chunk;
    const nl = pending.lastIndexOf('\n');
    if (nl === -1) continue;
    await emit(pending.slice(0, nl + 1));
    pending = pending.slice(nl + 1);
  }
  if (pending) await emit(pending);
  return masked;
}
