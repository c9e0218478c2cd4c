import { hushError } from '../../core/errors/index.js';

/** Parse a positive version number from an option (`--version 3`, `--to 2`, `--cas 0` with `allowZero`). */
export function parseVersionNumber(text: string, option: string, allowZero = false): number {
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < (allowZero ? 0 : 1)) {
    throw hushError('FLAG_NOT_WHOLE_NUMBER', { flag: option, range: allowZero ? '>= 0' : '>= 1', text });
  }
  return n;
}

/** Parse `--versions 1,2,5`. */
export function parseVersionList(text: string): number[] {
  return text.split(',').map((part) => parseVersionNumber(part.trim(), '--versions'));
}

/** Commander collector for a repeatable `--tag name=value`. */
export function collectTag(text: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = text.indexOf('=');
  if (eq <= 0) throw hushError('TAG_EXPECTS_NAME_VALUE_FOUND', { text });
  return { ...previous, [text.slice(0, eq)]: text.slice(eq + 1) };
}

/** Parse `--limit N` (1..1000, the store checks the upper bound). */
export function parseLimit(text: string): number {
  return parseVersionNumber(text, '--limit');
}
