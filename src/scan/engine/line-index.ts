/** Maps offsets in a text to 1-based line and column, built lazily (most texts have no findings). */
export class LineIndex {
  private starts: number[] | undefined;
  constructor(
    private readonly text: string,
    private readonly firstLine = 1,
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
    return { line: l + this.firstLine, column: offset - this.lineStarts()[l]! + 1 };
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
