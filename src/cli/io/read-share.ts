import { readSync } from 'node:fs';
import type { HushError } from '../../core/errors/hush-error.js';
import { hushError } from '../../core/errors/index.js';

/** Longest line accepted (a share is well under 100 characters; a PEM is not read this way). */
const MAX_LINE = 4096;

/**
 * Read one line from stdin (fd 0) and nothing more, byte by byte, so the rest stays for the next process: the
 * documented `for i in 1 2 3; do hush unseal; done < shares.txt` hands each call its own share, from a file or a
 * pipe. Blank lines and `#` comments are skipped; undefined at end of input.
 */
export function readOneLine(fd = 0): string | undefined {
  for (;;) {
    const bytes: number[] = [];
    const one = Buffer.alloc(1);
    let eof = false;
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, one, 0, 1, null);
      } catch (err) {
        // A non-blocking pipe with nothing yet: wait a little (this runs once per CLI call, never in a server).
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN') {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
          continue;
        }
        throw err;
      }
      if (n === 0) {
        eof = true;
        break;
      }
      if (one[0] === 0x0a) break;
      bytes.push(one[0]!);
      if (bytes.length > MAX_LINE) throw hushError('LINE_STDIN_OVER_BYTES', { maxLine: MAX_LINE });
    }
    const line = Buffer.from(bytes).toString('utf8').trim();
    if (line.length > 0 && !line.startsWith('#')) return line;
    if (eof) return undefined;
  }
}

/**
 * Ask for a secret on the terminal without echoing it (raw mode on stdin; the prompt goes to stderr). Enter ends it,
 * Backspace edits, Ctrl-C or Ctrl-D aborts with HUSH_E_USAGE.
 */
export function promptHidden(prompt: string): Promise<string> {
  const input = process.stdin;
  // Echo goes off before the prompt appears, so nothing typed after seeing it can be echoed.
  input.setRawMode(true);
  process.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let text = '';
    const finish = (err?: HushError) => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(text.trim());
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003' || ch === '\u0004') return finish(hushError('CANCELLED_NOTHING_SENT'));
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else text += ch;
      }
    };
    input.resume();
    input.on('data', onData);
  });
}
