import { shannonEntropy } from '../entropy.js';

/** A token-like string in scanned text, and where it starts (1-based). */
export interface Candidate {
  readonly value: string;
  readonly line: number;
  readonly column: number;
}

/** Shortest candidate: shorter stored values are not fingerprinted either (see MIN_KNOWN_LENGTH in the store). */
export const MIN_CANDIDATE_LENGTH = 8;
/** Longest candidate: longer runs are minified code or blobs, not a value someone pasted. */
export const MAX_CANDIDATE_LENGTH = 1024;
/** Bits per character a tokenizer candidate needs, so words like `postgres` or `localhost` are not sent. */
export const MIN_CANDIDATE_ENTROPY = 3;

// Runs between quotes, whitespace and brackets; inside a run, `=` `:` `@` `/` `?` `&` `,` also separate pieces
// (KEY=value, user:pass@host, ?token=...), and both the whole run and each piece are candidates.
const RUN = /[^\s"'`;()[\]{}<>,]+/g;
const PIECE = /[^=:@/?&|]+/g;

function keep(value: string): boolean {
  return (
    value.length >= MIN_CANDIDATE_LENGTH &&
    value.length <= MAX_CANDIDATE_LENGTH &&
    shannonEntropy(value) >= MIN_CANDIDATE_ENTROPY
  );
}

/**
 * Token-like strings of `text` for the known-secrets check: every run and sub-piece of at least 8 characters with
 * at least 3 bits of entropy per character. Cheap (two regexes per line) and pure; a value split across scan
 * windows is seen as two pieces.
 */
export function candidateTokens(text: string, firstLine = 1): Candidate[] {
  const out: Candidate[] = [];
  let line = firstLine;
  let lineStart = 0;
  while (lineStart <= text.length) {
    let end = text.indexOf('\n', lineStart);
    if (end < 0) end = text.length;
    const row = text.slice(lineStart, end);
    for (const run of row.matchAll(RUN)) {
      const start = run.index ?? 0;
      const seen = new Set<string>();
      const push = (value: string, at: number) => {
        if (seen.has(value) || !keep(value)) return;
        seen.add(value);
        out.push({ value, line, column: start + at + 1 });
      };
      push(run[0], 0);
      // KEY=value / key: value — the whole value, padding and separators included (`abc==`, `a:b`).
      const eq = run[0].search(/[=:]/);
      if (eq > 0) push(run[0].slice(eq + 1), eq + 1);
      if (run[0].length > MIN_CANDIDATE_LENGTH)
        for (const piece of run[0].matchAll(PIECE)) push(piece[0], piece.index ?? 0);
    }
    line++;
    lineStart = end + 1;
  }
  return out;
}
