/** Accumulates a file's lines and the labels of the lines that hold a planted credential. */
export class FileBuilder {
  constructor(path) {
    this.path = path;
    this.lines = [];
    this.labels = [];
  }

  /** Append plain (negative) lines; `text` may span several lines. */
  add(text) {
    this.lines.push(...text.split('\n'));
    return this;
  }

  /**
   * Append `text` holding a credential; the label covers every line of `text`, and `needle` (a substring of the
   * credential) must appear on one of them.
   */
  secret(text, category, kind, needle) {
    const line = this.lines.length + 1;
    const parts = text.split('\n');
    this.lines.push(...parts);
    this.labels.push({ file: this.path, line, endLine: line + parts.length - 1, category, kind, needle });
    return this;
  }

  text() {
    return `${this.lines.join('\n')}\n`;
  }
}
