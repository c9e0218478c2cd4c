/** Maps offsets in a text to 1-based line and column, built lazily (most texts have no findings). */
export class LineIndex {
  private starts: number[] | undefined;
  constructor(
    private readonly text: string,
    private readonly firstLine = 1,
    /** Column of the text's first character (a window that starts in the middle of a long line). */
    private readonly firstColumn = 1,
  ) {}

  private lineStarts(): number[] {
    if (!this.starts) {
      const starts = [0];
      for (let i = this.text.indexOf('\n'); i !== -1; i = this.text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.starts = starts;
    }
    return this.starts;
  }

  /** 0-based line number (relative to the text) of an offset. */
  lineOf(offset: number): number {
    const starts = this.lineStarts();
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** 1-based line and column of an offset (the line counts from `firstLine`). */
  position(offset: number): { line: number; column: number } {
    const l = this.lineOf(offset);
    const shift = l === 0 ? this.firstColumn - 1 : 0;
    return { line: l + this.firstLine, column: offset - this.lineStarts()[l]! + 1 + shift };
  }

  /** Offset of a 1-based line and column as {@link position} numbers them (its inverse). */
  offsetOf(line: number, column: number): number {
    const l = line - this.firstLine;
    const shift = l === 0 ? this.firstColumn - 1 : 0;
    return (this.lineStarts()[l] ?? 0) + column - 1 - shift;
  }

  /** Length of the 0-based relative line `l` without its newline, in O(1) (0 when out of range). */
  lineLength(l: number): number {
    const starts = this.lineStarts();
    const start = starts[l];
    if (start === undefined) return 0;
    const next = starts[l + 1];
    return (next === undefined ? this.text.length : next - 1) - start;
  }

  /** The part of line `l` within `radius` characters of `offset`: bounded context for per-hit checks on long lines. */
  lineNear(l: number, offset: number, radius: number): string {
    const starts = this.lineStarts();
    const start = starts[l];
    if (start === undefined) return '';
    const next = starts[l + 1];
    const end = next === undefined ? this.text.length : next - 1;
    return this.text.slice(Math.max(start, offset - radius), Math.min(end, offset + radius));
  }

  /** The text of the 0-based relative line `l` (empty when out of range). */
  lineText(l: number): string {
    const starts = this.lineStarts();
    const start = starts[l];
    if (start === undefined) return '';
    const next = starts[l + 1];
    return this.text.slice(start, next === undefined ? this.text.length : next - 1);
  }
}
