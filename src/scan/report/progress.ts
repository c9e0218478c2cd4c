/** A one-line progress display (bytes, items, MB/s) for stderr; the caller only creates one when stderr is a TTY. */
export function createProgress(write: (s: string) => void, now: () => number = Date.now) {
  const started = now();
  let last = 0;
  return {
    /** Redraw at most ten times a second. */
    update(bytes: number, units: number): void {
      const t = now();
      if (t - last < 100) return;
      last = t;
      const secs = Math.max(0.001, (t - started) / 1000);
      const mb = bytes / 1e6;
      write(`\r\x1b[2Kscanning: ${units} item(s), ${mb.toFixed(1)} MB, ${(mb / secs).toFixed(1)} MB/s`);
    },
    /** Clear the line before the report is printed. */
    done(): void {
      write('\r\x1b[2K');
    },
  };
}
