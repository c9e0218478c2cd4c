import { LineIndex } from './line-index.js';
import { scanText } from './scan-text.js';
import type { Finding, ScanTextOptions } from './types.js';

/** Window sizes for bounded-memory scanning of large inputs. */
export interface WindowOptions {
  /** Characters scanned per window (default 1 MiB). */
  readonly windowSize?: number;
  /** Characters carried from one window into the next, so secrets across the seam are seen (default 16 KiB). */
  readonly overlap?: number;
  /** Scan up to the last complete line after every chunk (live streams), not only when a window is full. */
  readonly eager?: boolean;
}

function countNewlines(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Scan a stream of text chunks in overlapping windows (cut at line boundaries), deduplicating findings at the
 * seams, so memory stays bounded by the window size whatever the input size.
 *
 * @example
 * for await (const f of scanWindows(readableOfStrings, { path: 'big.log' })) report(f);
 */
export async function* scanWindows(
  chunks: AsyncIterable<string> | Iterable<string>,
  options: ScanTextOptions & WindowOptions,
): AsyncGenerator<Finding> {
  const windowSize = options.windowSize ?? 1 << 20;
  const overlap = Math.min(options.overlap ?? 16 << 10, windowSize >> 3);
  let buffer = '';
  /** Length of the head of `buffer` that was already scanned (the overlap carried over). */
  let carried = 0;
  let firstLine = options.firstLine ?? 1;
  let recent = new Set<string>();
  /** Column of buffer[0] in its line (not 1 when a window was cut inside a long line). */
  let firstColumn = 1;

  function* scanUpTo(cut: number, final: boolean): Generator<Finding> {
    const window = buffer.slice(0, cut);
    // Keep the tail of this window (from a line start) as the head of the next one.
    let keepFrom = Math.max(0, cut - overlap);
    const nl = window.lastIndexOf('\n', keepFrom);
    // Back up to a line start only when that line is short; a huge minified line keeps the plain overlap.
    if (nl >= 0 && nl + 1 >= cut - 2 * overlap) keepFrom = nl + 1;
    // A window cut inside a line: a finding this far into the carried tail is seen whole, with the same context,
    // by the next window. Leave it to that window, so a secret cut by this window's edge is never reported truncated.
    const midLine = !final && window.charCodeAt(cut - 1) !== 10;
    const deferFrom = midLine ? keepFrom + (overlap >> 2) : Number.POSITIVE_INFINITY;
    const current = new Set<string>();
    const lines = new LineIndex(window, firstLine, firstColumn);
    for (const f of scanText(window, { ...options, firstLine, firstColumn })) {
      const key = `${f.ruleId}:${f.line}:${f.column}:${f.fingerprint}`;
      if (lines.offsetOf(f.line, f.column) >= deferFrom) continue;
      current.add(key);
      if (!recent.has(key)) yield f;
    }
    recent = current;
    if (final) return;
    const lastNl = keepFrom === 0 ? -2 : window.lastIndexOf('\n', keepFrom - 1);
    if (lastNl === -1) firstColumn += keepFrom;
    else if (lastNl >= 0) firstColumn = keepFrom - lastNl;
    firstLine += countNewlines(window, keepFrom);
    buffer = buffer.slice(keepFrom);
    carried = cut - keepFrom;
  }

  for await (const chunk of chunks) {
    buffer += chunk;
    while (buffer.length >= windowSize + overlap) {
      // Cut at the last newline inside the window, so no line is split (unless one line fills half the window).
      const nl = buffer.lastIndexOf('\n', windowSize);
      yield* scanUpTo(nl >= windowSize >> 1 ? nl + 1 : windowSize, false);
    }
    if (options.eager) {
      const nl = buffer.lastIndexOf('\n');
      if (nl >= carried) yield* scanUpTo(nl + 1, false);
    }
  }
  if (buffer.length > carried || (carried === 0 && buffer.length > 0)) yield* scanUpTo(buffer.length, true);
}
