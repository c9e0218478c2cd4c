import type { FileLeaf, ParsedCryptFile } from './crypt-format.js';
import type { CryptMetadata } from './crypt-metadata.js';
import type { CryptValue } from './crypt-value.js';

/**
 * A `key = value` line (or, in TOML, a value spanning lines): the text before the value is kept byte for byte, and
 * so is the text after it (an inline comment). One line may hold several leaves (a TOML array or inline table).
 */
export interface PairLine {
  readonly kind: 'pair';
  readonly leaves: readonly FileLeaf[];
  readonly head: string;
  readonly tail: string;
  /** The original value text, written back when no leaf of the line changed. */
  readonly raw: string;
  /** How new values are written on this line (quoting rules differ by format). */
  readonly write: (values: readonly CryptValue[]) => string;
}

/** Any other line (blank, comment, section header), kept as written. */
export interface OtherLine {
  readonly kind: 'other';
  readonly text: string;
}

/** A pair line holding one value (the .env and INI case). */
export function singlePair(
  path: readonly string[],
  head: string,
  value: CryptValue,
  raw: string,
  tail: string,
  write: (v: CryptValue) => string,
): PairLine {
  return {
    kind: 'pair',
    leaves: [{ path, value }],
    head,
    tail,
    raw,
    write: (vs) => write(vs[0] as CryptValue),
  };
}

const same = (a: CryptValue, b: CryptValue | undefined): boolean =>
  b !== undefined && a.type === b.type && a.text === b.text;

/** A line-oriented file (.env, INI, TOML): lines kept in order, values replaced in place, metadata lines apart. */
export function lineFile(
  lines: readonly (PairLine | OtherLine)[],
  metadata: unknown,
  writeMetadata: (metadata: CryptMetadata) => string[],
  endsWithNewline: boolean,
): ParsedCryptFile {
  const leaves = lines.flatMap((l) => (l.kind === 'pair' ? l.leaves : []));
  // The blank line Hush writes before a metadata section belongs to it: drop it with the section.
  const body = [...lines];
  if (metadata !== undefined)
    while (
      body.length > 0 &&
      body[body.length - 1]?.kind === 'other' &&
      (body[body.length - 1] as OtherLine).text.trim() === ''
    )
      body.pop();
  return {
    leaves,
    metadata,
    render(values, meta) {
      let i = 0;
      const out = body.map((l) => {
        if (l.kind === 'other') return l.text;
        const mine = values.slice(i, i + l.leaves.length);
        i += l.leaves.length;
        const unchanged = l.leaves.every((leaf, k) => same(leaf.value, mine[k]));
        return `${l.head}${unchanged ? l.raw : l.write(mine)}${l.tail}`;
      });
      if (meta) {
        while (out.length > 0 && out[out.length - 1] === '') out.pop();
        out.push(...writeMetadata(meta));
      }
      if (out.length === 0) return '';
      return out.join('\n') + (endsWithNewline || meta ? '\n' : '');
    },
  };
}

/** Split text into lines, noting whether it ended with a newline (so a round trip keeps it). */
export function splitLines(text: string): { lines: string[]; endsWithNewline: boolean } {
  const normalised = text.replaceAll('\r\n', '\n');
  const endsWithNewline = normalised.endsWith('\n');
  const lines = (endsWithNewline ? normalised.slice(0, -1) : normalised).split('\n');
  return { lines: normalised === '' ? [] : lines, endsWithNewline };
}
