/** Options shared by every command's output. */
export interface OutputOptions {
  readonly json: boolean;
}

/**
 * Print a command's result: the JSON value with --json (stable, machine-readable), otherwise the human text.
 * Human output goes to stdout; it never contains secret values unless the user asked (--reveal, get to a pipe).
 */
export function emit(opts: OutputOptions, value: unknown, human: () => string): void {
  if (opts.json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  else {
    const text = human();
    if (text.length > 0) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }
}

/** A masked rendering of a secret: its length class only, never a prefix of a short secret. */
export function maskSecret(value: string): string {
  if (value.length <= 12) return '*'.repeat(8);
  return `${value.slice(0, 3)}${'*'.repeat(8)}${value.slice(-2)}`;
}

/** Render rows as an aligned plain-text table. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}
